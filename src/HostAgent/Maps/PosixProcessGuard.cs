using System.Diagnostics;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// Linux: stopping sends SIGTERM to the program and every process it started (<see cref="ProcessTree"/>). Adopting
/// does nothing: a program outlives an agent killed with SIGKILL (docs/windows.md compares the two systems).
/// </summary>
public sealed class PosixProcessGuard : IChildProcessGuard
{
    public static readonly PosixProcessGuard Instance = new();

    private PosixProcessGuard()
    {
    }

    public void Adopt(Process process)
    {
    }

    public void RequestStop(Process process) => ProcessTree.Signal(process.Id, ProcessTree.SigTerm);
}
