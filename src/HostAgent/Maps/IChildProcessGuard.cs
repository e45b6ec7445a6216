using System.ComponentModel;
using System.Diagnostics;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// The operating-system part of supervising a map command (<see cref="ExternalMapInstance"/>): starting the program
/// so that it ends with the agent, however the agent ends, and asking its whole process tree to stop.
/// <see cref="ChildProcessGuards.ForThisSystem"/> picks <see cref="PosixProcessGuard"/> or <see cref="WindowsJobProcessGuard"/>.
/// </summary>
public interface IChildProcessGuard
{
    /// <summary>
    /// Starts <paramref name="process"/> tied to the agent's life. Throws <see cref="Win32Exception"/> when the program
    /// cannot be run, <see cref="MapStartException"/> when it ran but could not be tied (it is then killed).
    /// </summary>
    void Start(Process process);

    /// <summary>Asks the program and everything it started to stop; the caller kills the tree if it has not within the grace.</summary>
    void RequestStop(Process process);
}
