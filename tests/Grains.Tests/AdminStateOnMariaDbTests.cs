using System.Diagnostics;
using Orleans.Runtime;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

/// <summary>What operators set survives the grains' reactivation on MariaDB: a map's policy override and history, the P2P pause.</summary>
[Collection(MariaDbCluster.Name)]
public sealed class AdminStateOnMariaDbTests(MariaDbClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.Client;

    [Fact]
    public async Task PolicyOverrideHistoryAndPauseSurviveReactivation()
    {
        var map = Grains.GetGrain<IMapGrain>("adm_" + Random.Shared.Next(1000, 9999));
        var configured = MapPolicy.Default with { MaxPlayers = 120 };
        await map.SetPolicyAsync(configured);
        var assignment = await Grains.PlaceOnAsync(map.GetPrimaryKeyString(), "host-a", HostKind.P2P, "127.0.0.1:6000");
        Assert.True((await map.PatchPolicyAsync(new MapPolicyPatch(null, null, 40, 80))).Changed);
        var network = Grains.GetGrain<INetworkControlGrain>(0);
        await network.PauseAsync("db-test");
        try
        {
            await KillHostingSilosAsync((map, map.GetAsync), (network, network.GetAsync));

            // The client may still pick a killed silo's gateway for a while: every call after the kill is asked again
            // on a connection failure (each is idempotent).
            await AskAsync(() => map.SetPolicyAsync(configured)); // as MapCatalog re-applies the configuration at every start
            var detail = await AskAsync(map.GetDetailAsync);
            Assert.True(detail.PolicyOverridden);
            Assert.Equal(configured, detail.ConfiguredPolicy);
            Assert.Equal(configured with { MinScore = 40, MaxPlayers = 80 }, detail.Summary.Policy);
            Assert.Equal(assignment, detail.Assignment);
            var record = Assert.Single(detail.History);
            Assert.Equal(("host-a", assignment.Epoch), (record.HostId, record.Epoch));
            Assert.Contains(record.Candidates, c => c.HostId == "host-a"); // the decision's candidates were stored with it
            Assert.False((await AskAsync(() => map.PatchPolicyAsync(new MapPolicyPatch(null, null, 40, 80)))).Changed);
            var control = await AskAsync(network.GetAsync);
            Assert.Equal((true, "db-test"), (control.P2PPaused, control.PausedBy));
        }
        finally
        {
            await AskAsync(network.ResumeAsync);
        }
    }

    private static Task AskAsync(Func<Task> call) => AskAsync(async () =>
    {
        await call();
        return true;
    });

    /// <summary><paramref name="call"/>, asked again (for up to 60 s) while the client cannot reach a silo.</summary>
    private static async Task<T> AskAsync<T>(Func<Task<T>> call)
    {
        Exception? unreachable = null;
        var answer = await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return (Answered: true, Value: await call());
            }
            catch (Exception e) when (Unreachable(e))
            {
                unreachable = e;
                return (Answered: false, Value: default(T)!);
            }
        }, a => a.Answered, "an answer from a silo", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200),
            describe: _ => unreachable?.ToString() ?? "no answer");
        return answer.Value;
    }

    private static bool Unreachable(Exception e) =>
        e is Orleans.Runtime.Messaging.ConnectionFailedException or SiloUnavailableException or TimeoutException or OrleansMessageRejectionException;

    /// <summary>
    /// Kills every silo that has one of <paramref name="grains"/> active (after starting a spare, so the cluster keeps a
    /// silo), then waits (with a deadline) until each answers from another silo: what it knows now came from storage.
    /// </summary>
    private async Task KillHostingSilosAsync(params (IAddressable Grain, Func<Task> Call)[] grains)
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        var hosting = new HashSet<SiloAddress>();
        foreach (var (grain, _) in grains) hosting.Add((await management.GetActivationAddress(grain))!);
        foreach (var _ in hosting) await fixture.Cluster.StartAdditionalSiloAsync();
        foreach (var silo in fixture.Cluster.Silos.Where(s => hosting.Contains(s.SiloAddress)).ToList()) await fixture.Cluster.KillSiloAsync(silo);

        var watch = Stopwatch.StartNew();
        foreach (var (grain, call) in grains)
        {
            var left = TimeSpan.FromSeconds(60) - watch.Elapsed;
            await Eventually.TrueAsync(async () =>
            {
                try
                {
                    await call();
                    return await management.GetActivationAddress(grain) is { } now && !hosting.Contains(now);
                }
                catch (Exception e) when (Unreachable(e))
                {
                    return false;
                }
            }, $"{grain} back on a surviving silo", left > TimeSpan.Zero ? left : TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        }
    }
}
