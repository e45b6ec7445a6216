using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace P2PCluster.Gateway.Tests;

/// <summary>
/// Records what one gateway's instruments measure from now on (only the meters of <paramref name="factory"/>, so
/// another fixture's gateway in the same process does not count), as the exporter would see it.
/// </summary>
public sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, Dictionary<string, string?> Tags, double Value)> _measurements = new();

    public MeterRecorder(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new Dictionary<string, string?>();
        foreach (var tag in tags) labels[tag.Key] = tag.Value?.ToString();
        _measurements.Enqueue((instrument.Name, labels, value));
    }

    /// <summary>The sum of what <paramref name="instrument"/> recorded with every one of <paramref name="labels"/> (<c>("code", "TicketUsed")</c>).</summary>
    public double Sum(string instrument, params (string Key, string Value)[] labels) => Matching(instrument, labels).Sum(m => m.Value);

    /// <summary>How many measurements <paramref name="instrument"/> recorded (a histogram's count).</summary>
    public int Count(string instrument, params (string Key, string Value)[] labels) => Matching(instrument, labels).Count();

    private IEnumerable<(string Instrument, Dictionary<string, string?> Tags, double Value)> Matching(string instrument, (string Key, string Value)[] labels) =>
        _measurements.Where(m => m.Instrument == instrument && labels.All(l => m.Tags.GetValueOrDefault(l.Key) == l.Value));

    public void Dispose() => _listener.Dispose();
}
