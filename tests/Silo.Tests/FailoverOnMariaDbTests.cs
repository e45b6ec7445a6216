using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Runtime;
using P2PCluster.Grains.Interfaces;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// The hard failover case: the silo holding a host's grain dies at the same moment as the host, so no connection,
/// heartbeat or timer is left to notice. The host grain's liveness reminder (in MariaDB) must bring it back on the
/// surviving silo, which then moves the maps.
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class FailoverOnMariaDbTests(MariaDbFixture db, ITestOutputHelper output)
{
    private static readonly string[] Normal = ["geffen", "payon", "morocc", "izlude"];
    private const string Critical = "prontera";
    private const int ReminderPeriodMs = 2000;

    [Fact]
    public async Task MapsAreReassignedWhenTheSiloHoldingTheGrainsDiesWithTheHost()
    {
        string connectionString = await db.Server.CreateDatabaseAsync("failover");
        string clusterId = "f" + Guid.NewGuid().ToString("N")[..8];
        using var key = new KeyFile();
        string config = Path.Combine(Directory.CreateTempSubdirectory("p2p-failover-").FullName, "p2p.conf");
        File.WriteAllText(config, $"""
            distribution:
              heartbeat_timeout_ms: 1500
              reconnect_grace_ms: 300
              directory_refresh_ms: 200
              reminder_period_ms: {ReminderPeriodMs}
            maps:
              {Critical}:
                critical: true
            {string.Concat(Normal.Select(n => $"  {n}:\n"))}
            """);
        var a = SiloProcess.Start(connectionString, clusterId, key.Path, config);
        var b = SiloProcess.Start(connectionString, clusterId, key.Path, config);
        await using var _a = a.Process;
        await using var _b = b.Process;
        await ClusterOnMariaDbTests.WaitForStatusAsync(connectionString, clusterId, a.SiloPort, ClusterOnMariaDbTests.Active, TimeSpan.FromSeconds(60));
        await ClusterOnMariaDbTests.WaitForStatusAsync(connectionString, clusterId, b.SiloPort, ClusterOnMariaDbTests.Active, TimeSpan.FromSeconds(60));

        // The watcher talks to silo B only, so it outlives silo A.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(c =>
        {
            c.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, b.GatewayPort));
            c.Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = "p2pcluster"; });
            c.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        });
        using var client = builder.Build();
        await client.StartAsync();
        var grains = client.Services.GetRequiredService<IClusterClient>();

        // The P2P host speaks to silo A's gateway and takes the normal maps; the VPS speaks to silo B and takes the critical one.
        string publicKey = Convert.ToHexString(key.PublicKey);
        ProgramProcess? vpsAgent = null;
        await using var p2p = await AgentProcess.StartAsync($"127.0.0.1:{a.CoordinatorPort}", publicKey, "p2p");
        var maps = await WaitForAsync(grains, m => Normal.All(n => m[n].InstanceState == MapInstanceState.Running), TimeSpan.FromSeconds(60), Logs);
        await using var vps = await AgentProcess.StartAsync($"127.0.0.1:{b.CoordinatorPort}", publicKey, "vps");
        vpsAgent = vps;
        maps = await WaitForAsync(grains, m => m[Critical].InstanceState == MapInstanceState.Running, TimeSpan.FromSeconds(60), Logs);
        string p2pId = AgentProcess.HostIdOf(p2p), vpsId = AgentProcess.HostIdOf(vps);
        Assert.All(Normal, n => Assert.Equal(p2pId, maps[n].Assignment!.HostId));
        Assert.Equal(vpsId, maps[Critical].Assignment!.HostId);

        // A host grain lives on the silo whose gateway holds its connection: the P2P host's grain is on silo A.
        var holder = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grains.GetGrain<IHostGrain>(p2pId));
        Assert.NotNull(holder);
        Assert.Equal(a.SiloPort, holder.Endpoint.Port);

        var epochs = Normal.ToDictionary(n => n, n => maps[n].Epoch);
        var watch = Stopwatch.StartNew();
        a.Process.Kill();
        p2p.Kill();
        var after = await WaitForAsync(grains, m => Normal.All(n => m[n].Assignment?.HostId == vpsId && m[n].Epoch > epochs[n]
            && m[n].InstanceState == MapInstanceState.Running), TimeSpan.FromSeconds(60), Logs);
        output.WriteLine($"silo and host killed together → all {Normal.Length} maps running on the VPS after {watch.ElapsedMilliseconds} ms "
            + $"(heartbeat timeout 1500 ms, reminder period {ReminderPeriodMs} ms)");
        Assert.Equal(vpsId, after[Critical].Assignment!.HostId);
        var host = await grains.GetGrain<IHostGrain>(p2pId).GetAsync();
        Assert.Equal(HostStatus.Offline, host.Status);
        Assert.Empty(host.Maps);

        string Logs() => $"--- silo A ---\n{a.Process.Output}\n--- silo B ---\n{b.Process.Output}\n--- p2p ---\n{p2p.Output}\n--- vps ---\n{vpsAgent?.Output}";
    }

    private static async Task<Dictionary<string, MapInfo>> WaitForAsync(IGrainFactory grains, Func<Dictionary<string, MapInfo>, bool> done, TimeSpan timeout, Func<string> logs)
    {
        Dictionary<string, MapInfo> last = [];
        async Task<Dictionary<string, MapInfo>> ReadMapsAsync()
        {
            var maps = new Dictionary<string, MapInfo>();
            foreach (string name in Normal.Append(Critical)) maps[name] = await grains.GetGrain<IMapGrain>(name).GetAsync();
            return maps;
        }
        return (await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return last = await ReadMapsAsync();
            }
            catch (Exception e) when (e is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException)
            {
                return null; // the grain's silo just died or froze; its next activation answers
            }
        }, maps => maps is not null && done(maps), "the maps as expected", timeout, describe: _ => $"\n{string.Join("\n", last.Values)}\n{logs()}"))!;
    }
}
