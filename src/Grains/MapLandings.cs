using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// Calls waiting for a map to run anywhere but on a given host and epoch (REPORT_UNREACHABLE's answer): each is
/// completed by the state change that lands the map, not by anyone asking again.
/// </summary>
internal sealed class MapLandings
{
    private readonly List<(string HostId, long Epoch, TaskCompletionSource Landed)> _waiting = [];

    /// <summary>Whether the map runs, ready for players, under an assignment other than <paramref name="hostId"/> at <paramref name="epoch"/>.</summary>
    public static bool HasLanded(MapState s, string hostId, long epoch) =>
        s.Assignment is { } a && (a.HostId != hostId || a.Epoch != epoch) && s.InstanceState == MapInstanceState.Running && s.InstancePort > 0;

    /// <summary>True once the map landed (at once if it has), false when <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitAsync(MapState current, string hostId, long epoch, TimeSpan timeout, TimeProvider time)
    {
        if (HasLanded(current, hostId, epoch)) return true;
        if (timeout <= TimeSpan.Zero) return false;
        var entry = (hostId, epoch, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _waiting.Add(entry);
        try
        {
            await entry.Item3.Task.WaitAsync(timeout, time);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            _waiting.Remove(entry);
        }
    }

    /// <summary>The map's state changed: completes every wait it satisfies.</summary>
    public void Changed(MapState s)
    {
        foreach (var (hostId, epoch, landed) in _waiting)
            if (HasLanded(s, hostId, epoch)) landed.TrySetResult();
    }
}
