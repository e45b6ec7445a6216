namespace P2PCluster.LoadTool;

/// <summary>Nearest-rank percentiles: the smallest value at least that share of the samples does not exceed.</summary>
public static class Percentile
{
    /// <param name="sorted">Samples in ascending order.</param>
    public static double Of(IReadOnlyList<double> sorted, double percent) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
