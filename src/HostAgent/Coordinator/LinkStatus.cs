using Microsoft.Extensions.Hosting.Systemd;

namespace P2PCluster.HostAgent.Coordinator;

/// <summary>
/// The coordinator link's state as systemd's <c>STATUS=</c> line (<c>systemctl status p2p-host-agent</c>): READY=1
/// only says the agent runs, so this says whether it is registered right now. Does nothing outside systemd.
/// </summary>
public sealed class LinkStatus(ISystemdNotifier? notifier)
{
    public static LinkStatus None { get; } = new(null);

    public void Connected(string endpoint, string hostId) => Report($"Connected to coordinator {endpoint} as host {hostId}");

    public void Retrying(string endpoint, string reason, TimeSpan delay) =>
        Report($"Not connected: {endpoint}: {reason}; next attempt in {(long)delay.TotalMilliseconds} ms");

    private void Report(string status)
    {
        // One line: systemd reads the datagram as newline-separated assignments.
        if (notifier is { IsEnabled: true }) notifier.Notify(new ServiceState("STATUS=" + status.ReplaceLineEndings(" ")));
    }
}
