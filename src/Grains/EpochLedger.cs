using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// The maps a host holds and the epoch it holds each under (in <see cref="HostState"/>, read through
/// <paramref name="state"/> since a failed write replaces the state object): what fences the host's reports. A stale
/// epoch is revoked, a map the host should run but does not is ordered again. The caller writes the state.
/// </summary>
public sealed class EpochLedger(Func<HostState> state)
{
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal); // Fence's scratch set, kept: it runs on every heartbeat

    private HostState State => state();

    public int Count => State.Maps.Count;

    public bool Holds(string map, long epoch) => State.Maps.TryGetValue(map, out long held) && held == epoch;

    /// <summary>Records <paramref name="map"/> under <paramref name="epoch"/>; false when held under that epoch or a newer one already.</summary>
    public bool Add(string map, long epoch, int maxPlayers)
    {
        if (State.Maps.TryGetValue(map, out long held) && held >= epoch) return false;
        State.Maps[map] = epoch;
        State.MaxPlayers[map] = maxPlayers;
        return true;
    }

    /// <summary>
    /// Forgets <paramref name="map"/> if held under <paramref name="epoch"/> or older and returns the epoch it was held
    /// under; null otherwise (a newer epoch means the map came back since: a stale removal must not drop it).
    /// </summary>
    public long? Remove(string map, long epoch)
    {
        if (!State.Maps.TryGetValue(map, out long held) || held > epoch) return null;
        State.Maps.Remove(map);
        State.MaxPlayers.Remove(map);
        return held;
    }

    /// <summary>Forgets <paramref name="maps"/> and records, in the same state, that each map grain must be told (<see cref="HostState.Losses"/>).</summary>
    public void Forget(IEnumerable<KeyValuePair<string, long>> maps, RevocationReason reason)
    {
        foreach (var (map, epoch) in maps)
        {
            State.Maps.Remove(map);
            State.MaxPlayers.Remove(map);
            State.Losses.Add(new HostLoss(map, epoch, reason));
        }
    }

    /// <summary>The most recently assigned map: the least settled one, shed first.</summary>
    public KeyValuePair<string, long> Newest() => State.Maps.MaxBy(m => m.Value);

    public MapOrder Order(string map, long epoch) => new(map, epoch, State.MaxPlayers.GetValueOrDefault(map, 100));

    /// <summary>
    /// Fences a heartbeat's map reports: a map reported under an epoch not held is revoked; a held map the audit wants
    /// reported again, or not reported at all, is ordered again. <paramref name="notRunning"/> hears each held map the
    /// host did not report running (its lease ran out, or it never got the assignment).
    /// </summary>
    public HeartbeatReply Fence(IEnumerable<MapInstanceReport> reports, InstanceStateAudit audit, DateTimeOffset now, Action<string, long> notRunning)
    {
        List<MapRevocation>? revoke = null;
        List<MapOrder>? assign = null;
        var reported = _reported;
        reported.Clear();
        audit.Retain(State.Maps);
        foreach (var report in reports)
        {
            if (report.State == MapInstanceState.Stopped) continue; // not running: re-sent below if the host should run it
            if (!State.Maps.TryGetValue(report.Map, out long held) || report.Epoch != held)
            {
                (revoke ??= []).Add(new MapRevocation(report.Map, report.Epoch, RevocationReason.StaleEpoch));
                continue;
            }
            reported.Add(report.Map);
            // The map grain's record may be behind the instance (a MAP_STATE lost while the cluster re-formed): the
            // host is asked to report it again, port included (InstanceStateAudit).
            if (audit.ShouldAsk(report.Map, held, report.State, now, InstanceStateOutbox.Resend))
                (assign ??= []).Add(Order(report.Map, held));
        }
        foreach (var (map, epoch) in State.Maps)
        {
            if (reported.Contains(map)) continue;
            (assign ??= []).Add(Order(map, epoch));
            notRunning(map, epoch);
        }
        return revoke is null && assign is null ? HeartbeatReply.Empty : new HeartbeatReply(revoke ?? [], assign ?? []);
    }
}
