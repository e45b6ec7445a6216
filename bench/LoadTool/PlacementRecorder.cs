using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>Per-caller placement counts and latencies (each caller writes only its own slot), summed on demand.</summary>
public sealed class PlacementRecorder(int callers)
{
    private readonly Slot[] _slots = [.. Enumerable.Range(0, callers).Select(_ => new Slot())];

    public void Record(int caller, TimeSpan latency, PlacementDecision? decision)
    {
        var slot = _slots[caller];
        slot.Latency.Record(latency);
        if (decision is null) Volatile.Write(ref slot.Unplaced, slot.Unplaced + 1);
        else if (decision.Kind == HostKind.Vps) Volatile.Write(ref slot.Vps, slot.Vps + 1);
        Volatile.Write(ref slot.Completed, slot.Completed + 1);
    }

    public long Completed()
    {
        long total = 0;
        foreach (var slot in _slots) total += Volatile.Read(ref slot.Completed);
        return total;
    }

    /// <summary>Everything recorded so far; the latencies may run a few calls ahead of the counts (read without stopping the callers).</summary>
    public PlacementTally Snapshot()
    {
        var latency = new LatencyHistogram();
        long completed = 0, vps = 0, unplaced = 0;
        foreach (var slot in _slots)
        {
            completed += Volatile.Read(ref slot.Completed);
            vps += Volatile.Read(ref slot.Vps);
            unplaced += Volatile.Read(ref slot.Unplaced);
            latency.Add(slot.Latency);
        }
        return new PlacementTally(completed, vps, unplaced, latency);
    }

    /// <summary>One caller's counters; only that caller writes them.</summary>
    private sealed class Slot
    {
        public long Completed, Vps, Unplaced;
        public readonly LatencyHistogram Latency = new();
    }
}
