using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Admin;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// The operator's disable and enable of a map through <see cref="ClusterAdmin"/> on a real one-silo cluster with a
/// simulated host: the effect is observed on the host (told to stop the map, then to run it again), not just answered.
/// </summary>
[Collection(FastDistribution.Name)]
public sealed class MapDisableTests(FastDistributionFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];
    private SimulatedHost? _host;
    private IMapGrain? _map;

    private IGrainFactory Grains => fixture.Cluster.Client;

    private ClusterAdmin Admin => new(Grains, new InMemoryAccountStore(), Options.Create(new ClusterStateOptions()), new HostViewCache(Grains, TimeProvider.System),
        NullLogger<ClusterAdmin>.Instance);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null) FastDistributionFixture.Faults.Heal(_host.Grain.GetGrainId());
        if (_map is not null) await _map.SetDisabledAsync(true);
        if (_host is null) return;
        output.WriteLine(_host.ToString());
        await _host.DisposeAsync();
        await _host.Grain.DisconnectAsync(failure: false, reason: null);
    }

    /// <summary>A P2P host heartbeating, and a map of this test placed on it.</summary>
    private async Task<(SimulatedHost Host, IMapGrain Map, string Name, MapAssignment At)> PlacedAsync(string prefix)
    {
        _host = new SimulatedHost(Grains, $"{prefix}-{_run}", HostKind.P2P);
        await _host.ConnectAsync();
        _host.StartHeartbeats(TimeSpan.FromMilliseconds(100));
        string name = $"{prefix}{_run}";
        _map = Grains.GetGrain<IMapGrain>(name);
        await _map.SetPolicyAsync(MapPolicy.Default);
        await Eventually.HoldsAsync(async () => { await _map.EnsurePlacedAsync("test"); return await _map.GetAsync(); },
            i => i.Assignment?.HostId == _host.HostId, $"{name} placed on {_host.HostId}", Deadline);
        return (_host, _map, name, (await _map.GetAsync()).Assignment!);
    }

    [Fact]
    public async Task DisabledMapLeavesItsHostStaysOutAndEnablePlacesItAgain()
    {
        var (host, map, name, at) = await PlacedAsync("dis");

        var disabled = await Admin.SetMapDisabledAsync(name, true);
        Assert.True(disabled.Changed, disabled.Message);
        Assert.Equal(("disable", name), (disabled.Action, disabled.Target));
        var move = Assert.Single(disabled.Moved);
        Assert.Equal((host.HostId, (string?)null), (move.FromHost, move.ToHost));
        var info = await map.GetAsync();
        Assert.Equal((MapStatus.Disabled, (MapAssignment?)null), (info.Status, info.Assignment));
        await Eventually.HoldsAsync(() => Task.FromResult(host.Running.ContainsKey(name)), running => !running, $"{name} stopped on {host.HostId}", Deadline);
        Assert.Contains(host.Revoked, r => r.Map == name && r.Epoch == at.Epoch && r.Reason == RevocationReason.Disabled);
        await Assert.ThrowsAsync<ClusterException>(() => map.CheckEpochAsync(at.HostId, at.Epoch)); // the old host is fenced

        // It stays out: a repeat changes nothing, placement leaves it alone, an operator move is refused; operators read why.
        Assert.False((await Admin.SetMapDisabledAsync(name, true)).Changed);
        await map.EnsurePlacedAsync("test");
        Assert.Equal(MapStatus.Disabled, (await map.GetAsync()).Status);
        Assert.Equal(ClusterError.PolicyViolation, (await Assert.ThrowsAsync<ClusterException>(() => Admin.MoveMapAsync(name, host.HostId))).Code);
        var detail = (await Admin.GetMapAsync(name))!;
        Assert.Equal("disabled by an operator", detail.Summary.Why);
        Assert.Equal("disabled by an operator", detail.History[0].Reason);

        var enabled = await Admin.SetMapDisabledAsync(name, false);
        Assert.True(enabled.Changed, enabled.Message);
        var placed = Assert.Single(enabled.Moved);
        Assert.Equal(host.HostId, placed.ToHost);
        Assert.True(placed.Epoch > at.Epoch, $"epoch {placed.Epoch} after {at.Epoch}");
        Assert.Equal((MapStatus.Assigned, placed.Epoch), ((await map.GetAsync()).Status, (await map.GetAsync()).Epoch));
        await Eventually.HoldsAsync(() => Task.FromResult(host.Running.GetValueOrDefault(name)), e => e == placed.Epoch, $"{name} runs again on {host.HostId}", Deadline);
        Assert.False((await Admin.SetMapDisabledAsync(name, false)).Changed);
    }

    [Fact]
    public async Task DisableAnswersOnceDurableEvenWhenItsHostCannotBeTold()
    {
        var (host, map, name, at) = await PlacedAsync("dit");
        FastDistributionFixture.Faults.FailWritesOf(host.Grain.GetGrainId()); // RemoveMapAsync cannot store the host's state

        var disabled = await Admin.SetMapDisabledAsync(name, true);

        Assert.True(disabled.Changed, disabled.Message);
        Assert.Equal(MapStatus.Disabled, (await map.GetAsync()).Status);
        await Assert.ThrowsAsync<ClusterException>(() => map.CheckEpochAsync(at.HostId, at.Epoch)); // fenced though it never heard
    }

    [Fact]
    public async Task UnknownOrMalformedMapIsRefusedNamingTheField()
    {
        var unknown = await Assert.ThrowsAsync<ClusterException>(() => Admin.SetMapDisabledAsync($"no{_run}", true));
        Assert.Equal(ClusterError.NotFound, unknown.Code);
        var bad = await Assert.ThrowsAsync<ClusterException>(() => Admin.SetMapDisabledAsync("not/a map", true));
        Assert.Equal(ClusterError.InvalidArgument, bad.Code);
        Assert.StartsWith("map:", bad.Message);
    }
}
