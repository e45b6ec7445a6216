using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains;

/// <summary>
/// Tells the cluster-state grain when one host's status (as the metrics see it) changes: a one-way call, never awaited,
/// so a host grain never waits on it. A status other than online (which the host directory also shows) is sent again
/// every <see cref="Resend"/> while it lasts, in case one report was lost with a dying silo.
/// </summary>
public sealed class HostStatusReporter
{
    public static readonly TimeSpan Resend = TimeSpan.FromMinutes(1);

    private (HostKind Kind, ClusterHostStatus? Status)? _last;
    private DateTimeOffset _sentAt;

    /// <summary>The status of a host from what its grain knows; null when it left cleanly (not counted).</summary>
    /// <param name="suspect">Players reported it unreachable, or its heartbeats are late.</param>
    /// <param name="reconnecting">Its connection dropped and the reconnect grace is running.</param>
    /// <param name="dead">It was declared dead (silence, a lost connection not restored) and has not come back.</param>
    public static ClusterHostStatus? Of(HostStatus status, bool suspect, bool reconnecting, bool dead) => status switch
    {
        HostStatus.Banned => ClusterHostStatus.Banned,
        HostStatus.Draining => ClusterHostStatus.Draining,
        HostStatus.Online => suspect ? ClusterHostStatus.Suspect : ClusterHostStatus.Online,
        _ => reconnecting ? ClusterHostStatus.Suspect : dead ? ClusterHostStatus.Dead : null,
    };

    /// <summary>
    /// The status of a host from its grain's parts at <paramref name="now"/>: a live host whose heartbeats are late
    /// (<see cref="HostLiveness.Late"/>) is suspect already, well before its watchdog declares it dead.
    /// </summary>
    public static ClusterHostStatus? Of(HostStatus status, bool isLive, HostLiveness liveness, bool playersSuspect, TimeSpan heartbeatTimeout,
        DateTimeOffset now) =>
        Of(status, playersSuspect || liveness.Late(now, isLive, heartbeatTimeout), liveness.DisconnectedAt is not null, liveness.Dead);

    /// <summary>Sends <paramref name="status"/> unless it is what was sent last (resent while not online, see the type).</summary>
    public void Report(IGrainFactory grains, string hostId, HostKind kind, ClusterHostStatus? status, DateTimeOffset now)
    {
        bool same = _last is { } last && last.Kind == kind && last.Status == status;
        if (same && (status is null or ClusterHostStatus.Online || now - _sentAt < Resend)) return;
        if (_last is null && status is null) return; // never counted: nothing to withdraw
        _last = (kind, status);
        _sentAt = now;
        grains.GetGrain<IClusterStateGrain>(0).HostStatusAsync(hostId, kind, status, now).Ignore();
    }
}
