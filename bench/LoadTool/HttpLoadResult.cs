using System.Globalization;

namespace P2PCluster.LoadTool;

/// <summary>Requests completed in one or more runs of an <see cref="HttpLoad"/>, their latencies and the silo CPU they cost.</summary>
public sealed record HttpLoadResult(long Requests, double Seconds, LatencyHistogram Latency, long Bytes, double SiloCpuSeconds = 0)
{
    public double PerSecond => Requests / Seconds;

    public double P50Ms => Latency.Percentile(0.50) / 1000;

    public double P99Ms => Latency.Percentile(0.99) / 1000;

    /// <summary>Silo CPU milliseconds per request.</summary>
    public double SiloCpuMsPerRequest => 1000 * SiloCpuSeconds / Math.Max(1, Requests);

    public static HttpLoadResult Combine(IReadOnlyList<HttpLoadResult> parts)
    {
        var latency = new LatencyHistogram();
        foreach (var part in parts) latency.Add(part.Latency);
        return new HttpLoadResult(parts.Sum(p => p.Requests), parts.Sum(p => p.Seconds), latency, parts.Sum(p => p.Bytes), parts.Sum(p => p.SiloCpuSeconds));
    }

    public string Describe(string path) => string.Create(CultureInfo.InvariantCulture,
        $"GET {path}: {Requests} requests in {Seconds:F1} s = {PerSecond:F0}/s, p50 {P50Ms:F2} ms, p99 {P99Ms:F2} ms, mean {Latency.Mean() / 1000:F2} ms, " +
        $"{(double)Bytes / Math.Max(1, Requests):F0} B/response, silo cpu {SiloCpuMsPerRequest:F2} ms/request ({100 * SiloCpuSeconds / Seconds:F0}% of one core)");
}
