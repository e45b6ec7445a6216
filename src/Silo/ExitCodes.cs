namespace P2PCluster.Silo;

/// <summary>Process exit codes, documented in docs/operations.md.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int StartFailed = 1;
    public const int BadConfiguration = 2;
    public const int DatabaseUnavailable = 3;
}
