using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// What a host grain activation last heard by MAP_STATE of each map's instance, so a heartbeat can tell when the
/// cluster's record is behind: a MAP_STATE lost while the cluster re-formed (a silo frozen or dead, the gateway drops
/// the packet and keeps the session), or sent before this activation existed. The heartbeat carries states but no
/// ports, so it cannot repair the record itself; it asks the host to report the map again with an ASSIGN_MAP of the
/// held epoch, which a host answers with MAP_STATE, port included (docs/protocol.md §7). At most one request per map
/// per interval.
/// </summary>
public sealed class InstanceStateAudit
{
    private readonly Dictionary<string, (long Epoch, MapInstanceState State)> _heard = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _asked = new(StringComparer.Ordinal);

    /// <summary>The host said (or the heartbeat showed) that <paramref name="map"/> is in <paramref name="state"/> under <paramref name="epoch"/>.</summary>
    public void Heard(string map, long epoch, MapInstanceState state) => _heard[map] = (epoch, state);

    /// <summary>What was last heard of <paramref name="map"/> under <paramref name="epoch"/>; null if nothing.</summary>
    public MapInstanceState? Last(string map, long epoch) =>
        _heard.TryGetValue(map, out var heard) && heard.Epoch == epoch ? heard.State : null;

    /// <summary>A new session: whatever the host queued meanwhile was never sent (it drops its queue on reconnecting).</summary>
    public void ForgetAll()
    {
        _heard.Clear();
        _asked.Clear();
    }

    /// <summary>
    /// Whether to ask the host to report <paramref name="map"/> again: its heartbeat says <paramref name="reported"/>,
    /// and this activation heard otherwise (or nothing) and has not asked within <paramref name="interval"/>.
    /// </summary>
    public bool ShouldAsk(string map, long epoch, MapInstanceState reported, DateTimeOffset now, TimeSpan interval)
    {
        if (Last(map, epoch) == reported)
        {
            _asked.Remove(map);
            return false;
        }
        if (_asked.TryGetValue(map, out var at) && now - at < interval) return false;
        _asked[map] = now;
        return true;
    }

    /// <summary>Forgets maps the host no longer holds.</summary>
    public void Retain(IReadOnlyDictionary<string, long> held)
    {
        if (_heard.Count <= held.Count && _asked.Count <= held.Count && AllHeld(held)) return; // every heartbeat: no allocation
        foreach (string map in _heard.Keys.Where(m => !held.ContainsKey(m)).ToList()) _heard.Remove(map);
        foreach (string map in _asked.Keys.Where(m => !held.ContainsKey(m)).ToList()) _asked.Remove(map);
    }

    private bool AllHeld(IReadOnlyDictionary<string, long> held)
    {
        foreach (string map in _heard.Keys) if (!held.ContainsKey(map)) return false;
        return true;
    }
}
