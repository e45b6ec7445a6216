namespace P2PCluster.HostAgent.Maps;

/// <summary>The one place that picks how map commands are supervised on this operating system.</summary>
public static class ChildProcessGuards
{
    /// <summary>A Job Object that kills the programs when the agent goes (Windows); SIGTERM to the process tree elsewhere.</summary>
    public static IChildProcessGuard ForThisSystem() =>
        OperatingSystem.IsWindows() ? WindowsJobProcessGuard.Shared : PosixProcessGuard.Instance;
}
