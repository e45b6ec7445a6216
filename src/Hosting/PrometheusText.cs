using System.Globalization;
using System.Text.RegularExpressions;

namespace P2PCluster.Hosting;

/// <summary>
/// A Prometheus text scrape, read for what p2p-diagnostic and the load tool need: a sample's total across label sets,
/// a histogram's quantile from its cumulative <c>_bucket{le=…}</c> samples (as <c>histogram_quantile</c> bounds it: the
/// upper edge of the bucket the quantile falls in), and what counters and histograms gained since an earlier scrape.
/// </summary>
public sealed partial class PrometheusText
{
    private readonly IReadOnlyList<(string Name, string Labels, double Value)> _samples;

    public PrometheusText(string body) => _samples = Parse(body);

    private PrometheusText(IReadOnlyList<(string Name, string Labels, double Value)> samples) => _samples = samples;

    /// <summary>
    /// Every sample less the same sample (name and labels) in <paramref name="earlier"/>, 0 where it was absent: for
    /// counters and histograms, what happened between the two scrapes. A gauge's difference means nothing.
    /// </summary>
    public PrometheusText Since(PrometheusText earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var before = new Dictionary<(string, string), double>();
        foreach (var (name, labels, value) in earlier._samples) before[(name, labels)] = value;
        return new PrometheusText([.. _samples.Select(s => (s.Name, s.Labels, s.Value - before.GetValueOrDefault((s.Name, s.Labels))))]);
    }

    /// <summary>
    /// The sum of <paramref name="name"/> over the label sets that contain every one of <paramref name="labels"/>
    /// (e.g. <c>gc_heap_generation="gen2"</c>; several narrow a multi-label family); null when none does.
    /// </summary>
    public double? Total(string name, params string[] labels)
    {
        var hits = _samples.Where(s => s.Name == name && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))).ToList();
        return hits.Count == 0 ? null : hits.Sum(s => s.Value);
    }

    /// <summary>The sum over every label set of <paramref name="name"/>; null when absent.</summary>
    public double? Total(string name)
    {
        var hits = _samples.Where(s => s.Name == name).ToList();
        return hits.Count == 0 ? null : hits.Sum(s => s.Value);
    }

    /// <summary>
    /// The histogram's observation count and the upper bound of the bucket holding quantile <paramref name="q"/>
    /// (infinity when it is past the last finite bucket); null when the histogram is absent.
    /// </summary>
    public (double Count, double UpperBound, double LargestFinite)? Quantile(string histogram, double q)
    {
        var buckets = _samples.Where(s => s.Name == histogram + "_bucket")
            .Select(s => (Le: LeOf(s.Labels), s.Value))
            .Where(b => b.Le is not null)
            .GroupBy(b => b.Le!.Value)
            .Select(g => (Le: g.Key, Cumulative: g.Sum(b => b.Value)))
            .OrderBy(b => b.Le)
            .ToList();
        if (buckets.Count == 0) return null;
        double count = buckets[^1].Cumulative;
        double largest = buckets.Where(b => !double.IsInfinity(b.Le)).Select(b => b.Le).DefaultIfEmpty(0).Max();
        if (count <= 0) return (0, 0, largest);
        double rank = q * count;
        foreach (var (le, cumulative) in buckets)
            if (cumulative >= rank) return (count, le, largest);
        return (count, double.PositiveInfinity, largest);
    }

    private static double? LeOf(string labels)
    {
        var m = Le().Match(labels);
        if (!m.Success) return null;
        string text = m.Groups[1].Value;
        return text == "+Inf" ? double.PositiveInfinity
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double le) ? le : null;
    }

    private static List<(string, string, double)> Parse(string body)
    {
        var samples = new List<(string, string, double)>();
        foreach (string line in body.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var m = Sample().Match(line);
            if (!m.Success) continue;
            string text = m.Groups["value"].Value;
            double value = text switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN,
            };
            if (!double.IsNaN(value)) samples.Add((m.Groups["name"].Value, m.Groups["labels"].Value, value));
        }
        return samples;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)""")]
    private static partial Regex Sample();

    [GeneratedRegex("""(?:^|,)\s*le="([^"]*)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Le();
}
