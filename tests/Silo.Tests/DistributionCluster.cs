using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using P2PCluster.Grains.Interfaces;
using P2PCluster.TestSupport;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// A coordinator silo process (embedded default) with maps configured and fast failure detection, host agent
/// processes connecting to it over the real protocol, and an Orleans client to watch the grains.
/// </summary>
public sealed class DistributionCluster : IAsyncDisposable
{
    private readonly List<ProgramProcess> _agents = [];
    private IHost? _client;

    private DistributionCluster(ProgramProcess silo, int coordinatorPort, int dbProxyPort, int gatewayPort)
    {
        Silo = silo;
        CoordinatorPort = coordinatorPort;
        DbProxyPort = dbProxyPort;
        OrleansGatewayPort = gatewayPort;
    }

    public ProgramProcess Silo { get; }
    public int CoordinatorPort { get; }
    public int DbProxyPort { get; }
    public int OrleansGatewayPort { get; }
    public IGrainFactory Grains => _client!.Services.GetRequiredService<IClusterClient>();
    public string PublicKeyFile => Path.Combine(Silo.WorkingDirectory, "data", "coordinator_ed25519.pub.pem");

    public const int HeartbeatTimeoutMs = 1500;
    public const int ReconnectGraceMs = 300;

    public static async Task<DistributionCluster> StartAsync(string maps, string extra = "")
    {
        int coordinatorPort = FreePort.Next(), dbProxyPort = FreePort.Next(), gatewayPort = FreePort.Next();
        string config = Path.Combine(Directory.CreateTempSubdirectory("p2p-dist-").FullName, "p2p.conf");
        File.WriteAllText(config, $"""
            coordinator:
              port: {coordinatorPort}
              db_proxy_port: {dbProxyPort}
              bind_address: 127.0.0.1
            cluster:
              silo_port: {FreePort.Next()}
              gateway_port: {gatewayPort}
            http:
              urls: "http://127.0.0.1:{FreePort.Next()}"
            distribution:
              heartbeat_timeout_ms: {HeartbeatTimeoutMs}
              reconnect_grace_ms: {ReconnectGraceMs}
              overload_window_ms: 1500
              rebalance_cooldown_ms: 60000
              directory_refresh_ms: 200
            {extra}
            maps:
            {maps}
            """);
        var silo = ProgramProcess.Start("Silo", ["--config", config]);
        await silo.WaitForLineAsync("Silo started", TimeSpan.FromSeconds(60));
        var cluster = new DistributionCluster(silo, coordinatorPort, dbProxyPort, gatewayPort);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(c =>
        {
            c.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gatewayPort));
            c.Configure<ClusterOptions>(o => { o.ClusterId = "p2p"; o.ServiceId = "p2pcluster"; });
        });
        cluster._client = builder.Build();
        await cluster._client.StartAsync();
        return cluster;
    }

    /// <summary>Starts a host agent process; waits until it is connected.</summary>
    public async Task<ProgramProcess> StartAgentAsync(string kind, string? metricsFile = null, int maxMaps = 5)
    {
        var agent = await AgentProcess.StartAsync($"127.0.0.1:{CoordinatorPort}", PublicKeyFile, kind, metricsFile, maxMaps, DbProxyPort);
        _agents.Add(agent);
        return agent;
    }

    /// <summary>The host id an agent logged when it connected.</summary>
    public static string HostIdOf(ProgramProcess agent) => AgentProcess.HostIdOf(agent);

    public async Task<Dictionary<string, MapInfo>> MapsAsync(IEnumerable<string> names)
    {
        var result = new Dictionary<string, MapInfo>();
        foreach (string name in names) result[name] = await Grains.GetGrain<IMapGrain>(name).GetAsync();
        return result;
    }

    /// <summary>Everything the silo and agents logged, for a failure message.</summary>
    public string Logs() =>
        "--- silo ---\n" + Silo.Output + string.Concat(_agents.Select((a, i) => $"--- agent {i} ---\n{a.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents) await agent.DisposeAsync();
        if (_client is not null)
        {
            await _client.StopAsync();
            _client.Dispose();
        }
        await Silo.DisposeAsync();
    }
}
