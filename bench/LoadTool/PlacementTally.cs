namespace P2PCluster.LoadTool;

/// <summary>Placements so far (or within a window, as the difference of two): how many, how many went to VPS or found no host, and their latencies.</summary>
public sealed record PlacementTally(long Completed, long Vps, long Unplaced, LatencyHistogram Latency)
{
    public static PlacementTally operator -(PlacementTally end, PlacementTally start)
    {
        var latency = new LatencyHistogram();
        latency.Add(end.Latency);
        latency.Add(start.Latency, sign: -1);
        return new PlacementTally(end.Completed - start.Completed, end.Vps - start.Vps, end.Unplaced - start.Unplaced, latency);
    }

    public static PlacementTally operator +(PlacementTally a, PlacementTally b)
    {
        var latency = new LatencyHistogram();
        latency.Add(a.Latency);
        latency.Add(b.Latency);
        return new PlacementTally(a.Completed + b.Completed, a.Vps + b.Vps, a.Unplaced + b.Unplaced, latency);
    }

    public static PlacementTally Empty { get; } = new(0, 0, 0, new LatencyHistogram());
}
