namespace P2PCluster.Silo;

/// <summary>Process exit codes, documented in docs/operations.md.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int StartFailed = 1;
    public const int BadConfiguration = 2;
    public const int DatabaseUnavailable = 3;

    /// <summary>The cluster declared this silo dead (it was unreachable, e.g. frozen); a supervisor must restart it.</summary>
    public const int DeclaredDead = 4;

    /// <summary>Any other error Orleans treats as fatal; the log says which. A supervisor must restart it.</summary>
    public const int Fatal = 5;
}
