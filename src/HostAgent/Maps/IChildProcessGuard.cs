using System.Diagnostics;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// The operating-system part of supervising a map command (<see cref="ExternalMapInstance"/>): tying the program to
/// the agent's life and asking its whole process tree to stop. <see cref="ChildProcessGuards.ForThisSystem"/> picks
/// <see cref="PosixProcessGuard"/> or <see cref="WindowsJobProcessGuard"/>.
/// </summary>
public interface IChildProcessGuard
{
    /// <summary>Called right after the program started, before it is supervised.</summary>
    void Adopt(Process process);

    /// <summary>Asks the program and everything it started to stop; the caller kills the tree if it has not within the grace.</summary>
    void RequestStop(Process process);
}
