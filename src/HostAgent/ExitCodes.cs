namespace P2PCluster.HostAgent;

/// <summary>Process exit codes, as for the silo (docs/operations.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int StartFailed = 1;
    public const int BadConfiguration = 2;
}
