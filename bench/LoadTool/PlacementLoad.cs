using System.Diagnostics;
using System.Globalization;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.LoadTool;

/// <summary>
/// The callers of scenario <c>placement</c>. Each owns a few maps (map <c>i</c> has policy <c>i</c>), and in a loop
/// places a random one of them, awaiting each decision: one in ten excludes the map's current host, as a failover
/// does. A decision moves the map to the chosen host in the fleet's true counts, which the refreshes then report.
/// Every decision is checked against the policy and the exclusion, so a wrong answer stops the run.
/// </summary>
public sealed class PlacementLoad
{
    /// <summary>Map <c>i</c> of every caller has policy <c>i</c>: half plain, the rest each push the choice elsewhere.</summary>
    public static readonly MapPolicy[] Policies =
    [
        MapPolicy.Default, MapPolicy.Default, MapPolicy.Default, MapPolicy.Default,
        MapPolicy.Default with { MinScore = 50 }, // some P2P hosts are below it
        MapPolicy.Default with { MinScore = 95 }, // above every P2P host: VPS
        MapPolicy.Default with { Critical = true },
        MapPolicy.Default with { P2PAllowed = false },
    ];

    private readonly SimulatedFleet _fleet;
    private readonly string[][] _maps;
    private readonly int[][] _hosts;
    private readonly Random[] _random;
    private readonly Dictionary<string, PlacementRecorder> _recorders = [];
    private readonly Dictionary<string, List<PlacementTally>> _windows = [];

    public PlacementLoad(SimulatedFleet fleet, int callers)
    {
        _fleet = fleet;
        _maps = [.. Enumerable.Range(0, callers).Select(c => Enumerable.Range(0, Policies.Length)
            .Select(m => string.Create(CultureInfo.InvariantCulture, $"b{c}.{m}")).ToArray())];
        _hosts = [.. Enumerable.Range(0, callers).Select(_ => Enumerable.Repeat(-1, Policies.Length).ToArray())];
        _random = [.. Enumerable.Range(0, callers).Select(c => new Random(1000 + c))];
    }

    public int Callers => _maps.Length;

    public Task PrimeAsync(DirectoryTarget target, TimeSpan duration, CancellationToken cancellationToken) =>
        LoadWindow.PrimeAsync(target.Name, Callers, (caller, stop) => CallAsync(target, caller, stop), duration, cancellationToken);

    /// <summary>One window; its counts and latencies are kept for <see cref="Tally"/>.</summary>
    public async Task<Measurement> MeasureAsync(DirectoryTarget target, TimeSpan warmup, TimeSpan window, CancellationToken cancellationToken)
    {
        var recorder = Recorder(target);
        // LoadWindow reads completed() once as the window opens and once as it closes: the tallies taken with those
        // two reads bound the window's latencies too.
        var marks = new List<PlacementTally>(2);
        var measured = await LoadWindow.MeasureAsync(target.Name, "place", 1, Callers, (caller, stop) => CallAsync(target, caller, stop),
            Completed, warmup, window, cancellationToken);
        if (marks.Count != 2) throw new InvalidOperationException($"expected two reads of the completed count, got {marks.Count}");
        Windows(target).Add(marks[1] - marks[0]);
        return measured;

        long Completed()
        {
            var mark = recorder.Snapshot();
            marks.Add(mark);
            return mark.Completed;
        }
    }

    /// <summary>Every measured window of <paramref name="target"/> together.</summary>
    public PlacementTally Tally(DirectoryTarget target) => Windows(target).Aggregate(PlacementTally.Empty, (a, b) => a + b);

    private async Task CallAsync(DirectoryTarget target, int caller, CancellationToken stop)
    {
        var recorder = Recorder(target);
        var random = _random[caller];
        var maps = _maps[caller];
        var hosts = _hosts[caller];
        while (!stop.IsCancellationRequested)
        {
            int map = random.Next(maps.Length);
            int current = hosts[map];
            string? exclude = current >= 0 && random.Next(10) == 0 ? _fleet.HostId(current) : null;
            long started = Stopwatch.GetTimestamp();
            var decision = await target.PlaceAsync(maps[map], Policies[map], exclude, "bench");
            recorder.Record(caller, Stopwatch.GetElapsedTime(started), decision);
            int chosen = decision is null ? -1 : _fleet.IndexOf(decision.HostId);
            if (decision is not null && (chosen < 0 || decision.HostId == exclude || !Policies[map].Allows(decision.Kind)))
                throw new LoadToolException($"{target.Name}: map {maps[map]} ({Policies[map]}, excluding {exclude ?? "none"}) was placed on {decision.Kind} host {decision.HostId}");
            _fleet.Move(current, chosen);
            hosts[map] = chosen;
        }
    }

    private PlacementRecorder Recorder(DirectoryTarget target)
    {
        lock (_recorders)
        {
            if (!_recorders.TryGetValue(target.Name, out var recorder)) _recorders[target.Name] = recorder = new PlacementRecorder(Callers);
            return recorder;
        }
    }

    private List<PlacementTally> Windows(DirectoryTarget target)
    {
        if (!_windows.TryGetValue(target.Name, out var windows)) _windows[target.Name] = windows = [];
        return windows;
    }
}
