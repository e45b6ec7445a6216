using System.Diagnostics;
using Orleans.Runtime;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;

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
        var assignment = await map.AssignAsync("host-a", HostKind.P2P, "127.0.0.1:6000");
        Assert.True((await map.PatchPolicyAsync(new MapPolicyPatch(null, null, 40, 80))).Changed);
        var network = Grains.GetGrain<INetworkControlGrain>(0);
        await network.PauseAsync("db-test");
        try
        {
            await DeactivateAsync(map);
            await DeactivateAsync(network);

            await map.SetPolicyAsync(configured); // as MapCatalog re-applies the configuration at every start
            var detail = await map.GetDetailAsync();
            Assert.True(detail.PolicyOverridden);
            Assert.Equal(configured, detail.ConfiguredPolicy);
            Assert.Equal(configured with { MinScore = 40, MaxPlayers = 80 }, detail.Summary.Policy);
            Assert.Equal(assignment, detail.Assignment);
            var record = Assert.Single(detail.History);
            Assert.Equal(("host-a", assignment.Epoch), (record.HostId, record.Epoch));
            Assert.Empty(record.Candidates);
            Assert.False((await map.PatchPolicyAsync(new MapPolicyPatch(null, null, 40, 80))).Changed);
            var control = await network.GetAsync();
            Assert.Equal((true, "db-test"), (control.P2PPaused, control.PausedBy));
        }
        finally
        {
            await network.ResumeAsync();
        }
    }

    /// <summary>Deactivates <paramref name="grain"/>, then waits (with a deadline) until no silo has it active: the next call reads storage.</summary>
    private async Task DeactivateAsync(IAddressable grain)
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        await grain.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        var watch = Stopwatch.StartNew();
        while (await management.GetActivationAddress(grain) is not null)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"{grain} was not deactivated within 30 s");
            await Task.Delay(50);
        }
    }
}
