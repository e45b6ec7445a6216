using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// The host's map instances as it reports them, on their way to the map grains: a heartbeat's reports are fenced by the
/// <see cref="EpochLedger"/> (a stale epoch revoked, a held map not running ordered again and its map grain told it is
/// stopped), and an instance state (MAP_STATE) is noted in the <see cref="InstanceStateAudit"/> and forwarded through the
/// <see cref="InstanceStateOutbox"/>, which no turn waits on: this grain's own record of the epoch is what fences it.
/// </summary>
public sealed class HostInstances(EpochLedger maps, Func<HostState> state, InstanceStateOutbox outbox)
{
    private readonly InstanceStateAudit _audit = new();
    private Action<string, long>? _notRunning; // kept: a lambda over this object is a new delegate on every heartbeat

    /// <summary>Fences a heartbeat's reports at <paramref name="now"/> and resends the instance states no map grain confirmed.</summary>
    public HeartbeatReply Heartbeat(IEnumerable<MapInstanceReport> reports, DateTimeOffset now)
    {
        // A map the host does not run must not send players to a closed port: its map grain hears Stopped until the
        // instance reports again.
        var reply = maps.Fence(reports, _audit, now, _notRunning ??= NotRunning);
        outbox.ResendDue(state().Maps, now);
        return reply;
    }

    private void NotRunning(string map, long epoch)
    {
        if (_audit.Last(map, epoch) is not MapInstanceState.Stopped) Record(map, epoch, MapInstanceState.Stopped, 0);
    }

    /// <summary>The host reported <paramref name="map"/>'s instance, held under <paramref name="epoch"/>: its map grain hears it without a wait.</summary>
    public void Record(string map, long epoch, MapInstanceState instanceState, int port)
    {
        _audit.Heard(map, epoch, instanceState);
        outbox.Send(map, epoch, instanceState, port);
    }

    /// <summary>A new session: whatever the host queued meanwhile was never sent (<see cref="InstanceStateAudit.ForgetAll"/>).</summary>
    public void Reconnected() => _audit.ForgetAll();
}
