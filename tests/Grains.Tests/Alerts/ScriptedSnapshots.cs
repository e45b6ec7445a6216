using P2PCluster.Grains.Alerts;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains.Tests.Alerts;

/// <summary>
/// The snapshots the alert grain sees in these tests, set by the test (in place of the cluster-state grain), and a
/// signal per evaluation: each call is one evaluation, recorded with the silo that made it.
/// </summary>
public sealed class ScriptedSnapshots
{
    private readonly Lock _lock = new();
    private readonly List<(string Silo, DateTime At, bool DuringHang)> _calls = [];
    private TaskCompletionSource _called = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClusterSnapshot _current = Healthy(DateTimeOffset.UtcNow);

    /// <summary>When set, each evaluation records whether this receiver was holding a request open at that moment.</summary>
    public WebhookReceiver? Receiver { get; set; }

    public ClusterSnapshot Current
    {
        get { lock (_lock) return _current; }
        set { lock (_lock) _current = value; }
    }

    public IReadOnlyList<(string Silo, DateTime At, bool DuringHang)> Calls
    {
        get { lock (_lock) return [.. _calls]; }
    }

    public int Count
    {
        get { lock (_lock) return _calls.Count; }
    }

    /// <summary>A cluster no rule fires on: 2 silos, 4 maps on P2P hosts, nothing refused.</summary>
    public static ClusterSnapshot Healthy(DateTimeOffset at) => new(at,
        [new HostCount(HostKind.P2P, ClusterHostStatus.Online, 4)],
        [new MapCount(ClusterMapState.P2P, 4), new MapCount(ClusterMapState.Vps, 0)],
        [], 10, 2, 0, [], 0, null);

    public IClusterSnapshotSource For(string silo) => new Source(this, silo);

    /// <summary>Waits (bounded) until at least <paramref name="count"/> evaluations matching <paramref name="match"/> have happened.</summary>
    public async Task WaitForAsync(int count, Func<(string Silo, DateTime At, bool DuringHang), bool> match, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            Task called;
            lock (_lock)
            {
                if (_calls.Count(match) >= count) return;
                called = _called.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(called, Task.Delay(left)) != called)
                throw new TimeoutException($"fewer than {count} evaluations {what} within the deadline; seen {Calls.Count(match)} of {Count}");
        }
    }

    /// <summary>Waits for <paramref name="more"/> evaluations after now.</summary>
    public Task WaitForMoreAsync(int more) => WaitForAsync(Count + more, _ => true, $"({more} more)");

    private ClusterSnapshot Record(string silo)
    {
        TaskCompletionSource called;
        ClusterSnapshot current;
        lock (_lock)
        {
            _calls.Add((silo, DateTime.UtcNow, Receiver?.Hanging > 0));
            called = _called;
            _called = new(TaskCreationOptions.RunContinuationsAsynchronously);
            current = _current;
        }
        called.TrySetResult();
        return current;
    }

    private sealed class Source(ScriptedSnapshots script, string silo) : IClusterSnapshotSource
    {
        public Task<ClusterSnapshot> GetSnapshotAsync() => Task.FromResult(script.Record(silo));
    }
}
