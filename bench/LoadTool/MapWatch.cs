using System.Diagnostics;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.LoadTool;

/// <summary>Reads the map grains (<see cref="IMapGrain.GetAsync"/>) to see where the cluster believes every map runs.</summary>
public sealed class MapWatch(IGrainFactory grains, IReadOnlyList<string> maps)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Waits until every map is assigned to a live simulated host, reported Running, and held by that host under the
    /// same epoch; returns how long that took. Throws with what was seen last when <paramref name="timeout"/> passes.
    /// </summary>
    public async Task<TimeSpan> WaitSettledAsync(IReadOnlyList<SimulatedHost> hosts, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        string seen = "";
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            var live = hosts.Where(h => !h.IsHalted).ToDictionary(h => h.HostId, h => h.Maps());
            MapInfo[] infos;
            try
            {
                infos = await Task.WhenAll(maps.Select(m => grains.GetGrain<IMapGrain>(m).GetAsync()));
            }
            catch (TimeoutException e)
            {
                // A busy silo answers late (its response timeout); that is not settled yet, not a failure.
                seen = $"the map grains did not all answer: {e.Message}";
                await Task.Delay(PollInterval, cancellationToken);
                continue;
            }
            int unassigned = 0, onDeadHost = 0, notRunning = 0, hostDisagrees = 0;
            foreach (var info in infos)
            {
                if (info.Assignment is not { } a) unassigned++;
                else if (!live.TryGetValue(a.HostId, out var held)) onDeadHost++;
                else if (info.InstanceState != MapInstanceState.Running) notRunning++;
                else if (!held.TryGetValue(info.Name, out ulong epoch) || (long)epoch != a.Epoch) hostDisagrees++;
            }
            if (unassigned + onDeadHost + notRunning + hostDisagrees == 0) return Stopwatch.GetElapsedTime(started);
            seen = $"{unassigned} unassigned, {onDeadHost} on a host that is down, {notRunning} not reported running, {hostDisagrees} not held by their host under their epoch";
            await Task.Delay(PollInterval, cancellationToken);
        }
        throw new LoadToolException($"the {maps.Count} maps did not all settle on live hosts within {timeout.TotalSeconds:F0} s: {seen}");
    }

    /// <summary>
    /// Polls the given maps every <paramref name="interval"/> until each is assigned above its old epoch to a host
    /// other than its former one; returns when that was first seen, per map (null if never, by <paramref name="stop"/>).
    /// </summary>
    public async Task<Dictionary<string, long?>> WatchMovesAsync(IReadOnlyDictionary<string, (ulong Epoch, string Host)> moving, TimeSpan interval, CancellationToken stop)
    {
        var moved = moving.Keys.ToDictionary(m => m, _ => (long?)null, StringComparer.Ordinal);
        while (!stop.IsCancellationRequested && moved.Values.Any(v => v is null))
        {
            var pending = moved.Where(m => m.Value is null).Select(m => m.Key).ToList();
            var infos = await Task.WhenAll(pending.Select(m => grains.GetGrain<IMapGrain>(m).GetAsync()));
            long now = Stopwatch.GetTimestamp();
            foreach (var info in infos)
            {
                var (epoch, host) = moving[info.Name];
                if (info.Assignment is { } a && a.Epoch > (long)epoch && a.HostId != host) moved[info.Name] = now;
            }
            await Task.Delay(interval, stop).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        return moved;
    }
}
