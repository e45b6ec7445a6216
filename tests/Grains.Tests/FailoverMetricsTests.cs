using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using P2PCluster.Grains.Interfaces;
using Xunit.Abstractions;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// p2p_failovers_total counted by cause where the host grain moves maps, and the host's status in the cluster-state
/// grain's snapshot, through the real grains on the real clock.
/// </summary>
[Collection(FastDistribution.Name)]
public sealed class FailoverMetricsTests(FastDistributionFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Beat = TimeSpan.FromMilliseconds(100);
    private readonly List<SimulatedHost> _hosts = [];
    private readonly List<IMapGrain> _maps = [];
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];
    private readonly ConcurrentDictionary<string, long> _failovers = new();
    private readonly MeterListener _listener = new();

    private IGrainFactory Grains => fixture.Cluster.Client;
    private IClusterStateGrain ClusterState => Grains.GetGrain<IClusterStateGrain>(0);

    public Task InitializeAsync()
    {
        var factory = fixture.SiloServices.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "p2p.failovers") l.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "cause") _failovers.AddOrUpdate((string)tag.Value!, value, (_, n) => n + value);
        });
        _listener.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        foreach (var map in _maps) await map.SetDisabledAsync(true);
        foreach (var host in _hosts)
        {
            output.WriteLine(host.ToString());
            await host.DisposeAsync();
            await host.Grain.DisconnectAsync(failure: false, reason: null);
        }
    }

    [Fact]
    public async Task DroppedHostThatDoesNotComeBackCountsDeadFailoversAndIsCountedDead()
    {
        var (dropper, maps) = await HostWithMapsAsync("drop", 2);
        int deadBefore = await HostsAsync(HostKind.P2P, ClusterHostStatus.Dead);

        await dropper.FreezeAsync();
        await dropper.Grain.DisconnectAsync(failure: true, reason: "connection lost"); // as the gateway reports a killed agent
        await WaitForAsync(() => Task.FromResult(_failovers.GetValueOrDefault("dead")), n => n >= 2, FastDistributionFixture.HeartbeatTimeout * 3);
        foreach (var map in maps) await WaitForAsync(map.GetAsync, m => m.Assignment?.HostId != dropper.HostId, TimeSpan.FromSeconds(5));

        Assert.Equal(2, _failovers.GetValueOrDefault("dead"));
        Assert.Equal(0, _failovers.GetValueOrDefault("silent"));
        await WaitForAsync(() => HostsAsync(HostKind.P2P, ClusterHostStatus.Dead), n => n == deadBefore + 1, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task SilentHostCountsSilentFailovers()
    {
        var (silent, _) = await HostWithMapsAsync("mute", 2);
        await silent.FreezeAsync(); // the connection stays; the heartbeats stop
        await WaitForAsync(() => Task.FromResult(_failovers.GetValueOrDefault("silent")), n => n >= 2, FastDistributionFixture.HeartbeatTimeout * 3);
        Assert.Equal(2, _failovers.GetValueOrDefault("silent"));
        Assert.Equal(0, _failovers.GetValueOrDefault("dead"));
    }

    [Fact]
    public async Task DrainCountsOperatorFailoversAndTheHostIsDraining()
    {
        var (drained, _) = await HostWithMapsAsync("drain", 2);
        int drainingBefore = await HostsAsync(HostKind.P2P, ClusterHostStatus.Draining);
        await drained.Grain.SetDrainingAsync(true);
        Assert.Equal(2, _failovers.GetValueOrDefault("operator"));
        await WaitForAsync(() => HostsAsync(HostKind.P2P, ClusterHostStatus.Draining), n => n == drainingBefore + 1, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task PlayersOnlineAreWhatTheLiveHostsReport()
    {
        int before = (await ClusterState.GetSnapshotAsync()).PlayersOnline;
        var host = await HostAsync("crowd", new HostLoad(10, 10, 0, 7));
        await WaitForAsync(async () => (await ClusterState.GetSnapshotAsync()).PlayersOnline, n => n == before + 7, TimeSpan.FromSeconds(5));
        await host.FreezeAsync();
        await host.Grain.DisconnectAsync(failure: false, reason: null); // it leaves: its players are no longer online
        await WaitForAsync(async () => (await ClusterState.GetSnapshotAsync()).PlayersOnline, n => n == before, TimeSpan.FromSeconds(5));
    }

    /// <summary>A light P2P host holding <paramref name="count"/> fresh maps, and a busier one for them to move to.</summary>
    private async Task<(SimulatedHost Host, List<IMapGrain> Maps)> HostWithMapsAsync(string name, int count)
    {
        var load = new HostLoad(1, 1, 0, 0);
        var host = await HostAsync(name, load);
        // Its directory entry (refreshed every 100 ms) shows the light load before maps are placed.
        await WaitForAsync(() => Grains.GetGrain<IHostDirectoryGrain>(0).ListAsync(), listed => listed.Any(c => c.HostId == host.HostId && c.Load == load),
            TimeSpan.FromSeconds(5));
        var maps = new List<IMapGrain>();
        for (int i = 0; i < count; i++)
        {
            var map = Grains.GetGrain<IMapGrain>($"m{i}{_run}");
            _maps.Add(map);
            await map.SetPolicyAsync(MapPolicy.Default);
            await map.EnsurePlacedAsync("test");
            maps.Add(map);
        }
        await HostAsync(name + "2", new HostLoad(50, 50, 0, 0));
        await WaitForAsync(() => Task.FromResult(host.Running.Count), n => n == count, TimeSpan.FromSeconds(5));
        _failovers.Clear(); // the other hosts' history is not this test's
        return (host, maps);
    }

    private async Task<SimulatedHost> HostAsync(string name, HostLoad load)
    {
        var host = new SimulatedHost(Grains, $"{name}-{_run}", HostKind.P2P) { Load = load };
        _hosts.Add(host);
        await host.ConnectAsync();
        host.StartHeartbeats(Beat);
        return host;
    }

    private async Task<int> HostsAsync(HostKind kind, ClusterHostStatus status) =>
        (await ClusterState.GetSnapshotAsync()).Hosts.Single(h => h.Kind == kind && h.Status == status).Count;

    private Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout) =>
        Eventually.HoldsAsync(read, done, "condition", timeout, TimeSpan.FromMilliseconds(25),
            describe: value => $"{value}; failovers: {string.Join(", ", _failovers)}; hosts: {string.Join("; ", _hosts)}");
}
