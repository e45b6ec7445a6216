using System.Diagnostics;
using Orleans.Core.Internal;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// A host grain tells a map grain it lost it without waiting inside its own turn: while the map grain cannot be
/// reached, the host grain still answers; once it can, the map grain is told exactly once. Real grains, real clock.
/// </summary>
[Collection(FastDistribution.Name)]
public sealed class HostLossDeliveryTests(FastDistributionFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Beat = TimeSpan.FromMilliseconds(100);
    /// <summary>Far below the 60 s retry budget, and below the response timeout a caller would hit.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(2);
    private readonly List<SimulatedHost> _hosts = [];
    private readonly List<IMapGrain> _maps = [];
    private readonly string _run = Guid.NewGuid().ToString("N")[..6];

    private IGrainFactory Grains => fixture.Cluster.Client;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var map in _maps)
        {
            HostLostFaults.Heal(map.GetPrimaryKeyString());
            await map.SetDisabledAsync(true);
        }
        foreach (var host in _hosts)
        {
            output.WriteLine(host.ToString());
            await host.DisposeAsync();
            await host.Grain.DisconnectAsync(failure: false, reason: null);
        }
    }

    [Fact]
    public async Task DrainAnswersWhileTheMapGrainIsUnreachableAndTheMapIsToldOnceItIsBack()
    {
        var a = await HostAsync("la");
        var map = await MapAsync("lost");
        var b = await HostAsync("lb");
        var before = await map.GetAsync();
        Assert.Equal(a.HostId, before.Assignment!.HostId);
        string name = map.GetPrimaryKeyString();

        HostLostFaults.MakeUnreachable(name);
        try
        {
            await AnswersPromptly(a.Grain.SetDrainingAsync(true), "the drain");
            await AnswersPromptly(a.Grain.GetAsync(), "a read of the host");
            await AnswersPromptly(a.Grain.HeartbeatAsync(new HostHeartbeat(a.Load, [])), "a heartbeat");
            // It keeps trying meanwhile, and the map stays where it was: nobody has told it.
            await WaitForAsync(() => Task.FromResult(HostLostFaults.RefusedTo(name)), n => n >= 3, TimeSpan.FromSeconds(10));
            Assert.Equal(a.HostId, (await map.GetAsync()).Assignment!.HostId);
        }
        finally
        {
            HostLostFaults.Heal(name);
        }

        await WaitForAsync(map.GetAsync, m => m.Assignment?.HostId == b.HostId, TimeSpan.FromSeconds(10));
        Assert.Equal(1, HostLostFaults.DeliveredTo(name, before.Epoch));
    }

    [Fact]
    public async Task ALossNotYetToldSurvivesTheHostGrainsDeactivation()
    {
        var a = await HostAsync("da");
        var map = await MapAsync("kept");
        var b = await HostAsync("db");
        var before = await map.GetAsync();
        Assert.Equal(a.HostId, before.Assignment!.HostId);
        string name = map.GetPrimaryKeyString();

        HostLostFaults.MakeUnreachable(name);
        try
        {
            await a.Grain.SetDrainingAsync(true);
            await WaitForAsync(() => Task.FromResult(HostLostFaults.RefusedTo(name)), n => n >= 1, TimeSpan.FromSeconds(10));
            // The activation that recorded the loss goes (its timer and memory with it); the host's next heartbeat
            // activates the grain again. (With the loss kept in memory only, the map never moved: checked once.)
            await a.Grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
            await AnswersPromptly(a.Grain.GetAsync(), "the host grain's next activation");
        }
        finally
        {
            HostLostFaults.Heal(name);
        }

        // Only the persisted outbox still knows the map must move: nothing else would tell it.
        await WaitForAsync(map.GetAsync, m => m.Assignment?.HostId == b.HostId, TimeSpan.FromSeconds(10));
        Assert.Equal(1, HostLostFaults.DeliveredTo(name, before.Epoch));
    }

    private static async Task AnswersPromptly(Task call, string what)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await call.WaitAsync(Prompt);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what} did not answer within {Prompt.TotalSeconds} s while a map grain could not be reached");
        }
        Assert.True(watch.Elapsed < Prompt, $"{what} took {watch.Elapsed}");
    }

    private async Task<SimulatedHost> HostAsync(string name)
    {
        var host = new SimulatedHost(Grains, $"{name}-{_run}", HostKind.Vps);
        _hosts.Add(host);
        await host.ConnectAsync();
        host.StartHeartbeats(Beat);
        return host;
    }

    private async Task<IMapGrain> MapAsync(string name)
    {
        var map = Grains.GetGrain<IMapGrain>($"{name}{_run}");
        _maps.Add(map);
        await map.SetPolicyAsync(MapPolicy.Default with { Critical = true });
        await map.EnsurePlacedAsync("test");
        return map;
    }

    private Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout) =>
        Eventually.HoldsAsync(read, done, "condition", timeout, TimeSpan.FromMilliseconds(25), describe: value => $"{value}; hosts: {string.Join("; ", _hosts)}");
}
