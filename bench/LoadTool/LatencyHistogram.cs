using System.Numerics;

namespace P2PCluster.LoadTool;

/// <summary>
/// Call latencies in microseconds, log-linear buckets: 1 µs wide below 256 µs, then 32 per power of two (within 3 %).
/// One writer per instance (a caller records its own calls); readers sum copies.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Linear = 256, LinearBits = 8, SubBits = 5, MaxExponent = 40;
    private readonly long[] _counts = new long[Linear + ((MaxExponent - LinearBits + 1) << SubBits)];

    public long Count => _counts.Sum();

    public void Record(TimeSpan latency)
    {
        long us = Math.Max(0, (long)latency.TotalMicroseconds);
        ref long bucket = ref _counts[Bucket(us)];
        Volatile.Write(ref bucket, bucket + 1);
    }

    /// <summary>Adds <paramref name="other"/>'s counts, times <paramref name="sign"/> (-1 subtracts an earlier copy).</summary>
    public void Add(LatencyHistogram other, int sign = 1)
    {
        for (int i = 0; i < _counts.Length; i++) _counts[i] += sign * Volatile.Read(ref other._counts[i]);
    }

    /// <summary>The mean latency in µs (each call counted at the middle of its bucket).</summary>
    public double Mean()
    {
        long total = Count;
        double sum = 0;
        for (int i = 0; i < _counts.Length; i++) sum += _counts[i] * Middle(i);
        return total == 0 ? 0 : sum / total;
    }

    /// <summary>The latency under which <paramref name="fraction"/> of the calls completed (the middle of its bucket), in µs.</summary>
    public double Percentile(double fraction)
    {
        long total = Count;
        if (total == 0) return 0;
        long rank = Math.Max(1, (long)Math.Ceiling(fraction * total)), seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Middle(i);
        }
        return Middle(_counts.Length - 1);
    }

    private static int Bucket(long us)
    {
        if (us < Linear) return (int)us;
        int exponent = Math.Min(MaxExponent, BitOperations.Log2((ulong)us));
        int sub = (int)(us >> (exponent - SubBits)) & ((1 << SubBits) - 1);
        return Linear + ((exponent - LinearBits) << SubBits) + sub;
    }

    private static double Middle(int bucket)
    {
        if (bucket < Linear) return bucket + 0.5;
        int exponent = ((bucket - Linear) >> SubBits) + LinearBits;
        int sub = (bucket - Linear) & ((1 << SubBits) - 1);
        double width = Math.Pow(2, exponent - SubBits);
        return ((1 << SubBits) + sub + 0.5) * width;
    }
}
