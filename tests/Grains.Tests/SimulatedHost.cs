using System.Collections.Concurrent;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// A host as the cluster sees it through the gateway: registers, attaches an observer that records the pushes
/// (assignments, revocations, close), and heartbeats the maps it was told to run. Drives the real grains.
/// </summary>
public sealed class SimulatedHost : IHostConnection, IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly IHostConnection _reference;
    private readonly CancellationTokenSource _stop = new();
    private Task _heartbeats = Task.CompletedTask;

    public SimulatedHost(IGrainFactory grains, string hostId, HostKind kind)
    {
        _grains = grains;
        HostId = hostId;
        Kind = kind;
        _reference = grains.CreateObjectReference<IHostConnection>(this);
    }

    public string HostId { get; }
    public HostKind Kind { get; }
    public ConcurrentDictionary<string, long> Running { get; } = new();
    public ConcurrentQueue<MapRevocation> Revoked { get; } = new();
    public HostLoad Load { get; set; } = new(10, 20, 1, 0);
    public ClusterError? ClosedWith { get; private set; }

    /// <summary>Heartbeats refused because the cluster no longer counted this host as connected (declared dead, banned).</summary>
    public int RefusedHeartbeats => _refusedHeartbeats;

    private int _refusedHeartbeats;
    public IHostGrain Grain => _grains.GetGrain<IHostGrain>(HostId);

    public async Task ConnectAsync(HostCapacity? capacity = null)
    {
        _capacity = capacity ?? _capacity;
        // Each registration is a new gateway session, as a real agent's reconnect is.
        Session = Guid.NewGuid();
        await Grain.ConnectAsync(new HostRegistration(Enumerable.Repeat((byte)HostId.Length, 32).ToArray(), Kind, "127.0.0.1:6200", Session));
        await Grain.AttachAsync(_reference, Session);
        await Grain.ReportCapacityAsync(_capacity);
    }

    /// <summary>The gateway session of the last registration.</summary>
    public Guid Session { get; private set; }

    /// <summary>Attaches again, as the gateway repeats it while its session lasts.</summary>
    public Task ReattachAsync() => Grain.AttachAsync(_reference, Session);

    /// <summary>Whether <paramref name="map"/> was assigned to this connection within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForAssignmentAsync(string map, TimeSpan timeout)
    {
        try
        {
            await Eventually.TrueAsync(() => Running.ContainsKey(map), $"{map} assigned to {HostId}", timeout, TimeSpan.FromMilliseconds(20));
        }
        catch (TimeoutException)
        {
        }
        return Running.ContainsKey(map);
    }

    private HostCapacity _capacity = HostCapacity.Default;

    /// <summary>
    /// Heartbeats every <paramref name="interval"/> until stopped (a frozen or killed host stops). Like a real agent, a
    /// host the cluster no longer counts as connected connects again: on a busy machine a few late heartbeats get a
    /// live host declared dead, and a simulated host that never came back left the maps it should have taken unassigned.
    /// </summary>
    public void StartHeartbeats(TimeSpan interval)
    {
        _heartbeats = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var reply = await Grain.HeartbeatAsync(new HostHeartbeat(Load,
                        [.. Running.Select(m => new MapInstanceReport(m.Key, m.Value, MapInstanceState.Running, 0))]));
                    foreach (var r in reply.Revoke) Stop(r);
                    foreach (var o in reply.Assign) Running[o.Map] = o.Epoch;
                }
                catch (ClusterException e) when (e.Code == ClusterError.HostDeclaredDead && !_stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _refusedHeartbeats);
                    await ReconnectAsync();
                }
                catch (ClusterException)
                {
                }
                // Real time: the grains under test run on the real clock, and a host is live only while it keeps this cadence.
                await Task.Delay(interval, _stop.Token).ContinueWith(_ => { });
            }
        });
    }

    private async Task ReconnectAsync()
    {
        try
        {
            await ConnectAsync();
            Interlocked.Increment(ref _reconnects);
        }
        catch (ClusterException)
        {
            // Banned or no longer approved: it stays out, as a real agent would.
        }
    }

    /// <summary>How often the heartbeat loop connected again after the cluster had stopped counting this host as connected.</summary>
    public int Reconnects => _reconnects;

    private int _reconnects;

    /// <summary>Stops heartbeating without a word: a kill -9 or a SIGSTOP as the cluster sees it.</summary>
    public async Task FreezeAsync()
    {
        await _stop.CancelAsync();
        await _heartbeats;
    }

    public Task CloseAsync(ClusterError code, string message)
    {
        ClosedWith = code;
        return Task.CompletedTask;
    }

    public Task AssignAsync(MapOrder order)
    {
        Running[order.Map] = order.Epoch;
        return Task.CompletedTask;
    }

    public Task RevokeAsync(MapRevocation revocation)
    {
        Stop(revocation);
        return Task.CompletedTask;
    }

    private void Stop(MapRevocation revocation)
    {
        Revoked.Enqueue(revocation);
        if (Running.TryGetValue(revocation.Map, out long epoch) && epoch <= revocation.Epoch) Running.TryRemove(revocation.Map, out _);
    }

    public override string ToString() => $"{HostId} running [{string.Join(",", Running.Keys)}], closed with {ClosedWith?.ToString() ?? "nothing"}, {RefusedHeartbeats} heartbeats refused, {Reconnects} reconnects";

    public async ValueTask DisposeAsync()
    {
        await FreezeAsync();
        _grains.DeleteObjectReference<IHostConnection>(_reference);
    }
}
