using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using P2PCluster.Gateway;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>dbproxy</c>'s way into the child silo's grains (an Orleans client on the same MariaDB membership, as
/// the stand-alone gateway connects), to put the players where the proxy will check them: each host's map assigned
/// to it as a placement would (map grain, then the host grain, whose ASSIGN_MAP the simulated host answers with
/// MAP_STATE Running), then each character's ticket requested and claimed at its host, as RESOLVE and CLAIM_TICKET do.
/// </summary>
public sealed class DbProxyCluster : IAsyncDisposable
{
    private static readonly TimeSpan RunningTimeout = TimeSpan.FromSeconds(30);
    private const int Parallelism = 32;
    private readonly IHost _client;

    private DbProxyCluster(IHost client) => _client = client;

    public IGrainFactory Grains => _client.Services.GetRequiredService<IClusterClient>();

    public static async Task<DbProxyCluster> ConnectAsync(string connectionString, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["database:connection_string"] = connectionString }).Build();
        var settings = CoordinatorSettings.Load(configuration);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client.AddP2PClient(settings));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new DbProxyCluster(host);
    }

    /// <summary>Moves <paramref name="map"/> to <paramref name="host"/> (the operator move, <see cref="TestPlacement"/>) and waits until the host reports it running; returns the epoch.</summary>
    public async Task<long> RunMapAsync(string map, SimulatedHost host, CancellationToken cancellationToken)
    {
        var grain = Grains.GetGrain<IMapGrain>(map);
        var assignment = await Grains.PlaceOnAsync(map, host.HostId, HostKind.P2P, $"127.0.0.1:{host.Port}"); // tells the host too
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var info = await grain.GetAsync();
            if (info.Assignment?.Epoch == assignment.Epoch && info.InstanceState == MapInstanceState.Running) return assignment.Epoch;
            if (Stopwatch.GetElapsedTime(started) > RunningTimeout)
                throw new LoadToolException($"map {map} was not running at host {host.HostId} {RunningTimeout.TotalSeconds:F0} s after its assignment (it is {info.InstanceState}, epoch {info.Epoch})");
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Every character resolved onto its map and its ticket claimed by its host: the session grain now has it on that map.</summary>
    public async Task PlaceAsync(SavedCharacter[] characters, SimulatedHost[] hosts, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(characters, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (c, _) =>
            {
                var session = Grains.GetGrain<IPlayerSessionGrain>(c.CharId);
                try
                {
                    var grant = await session.RequestTicketAsync(c.AccountId, c.Map);
                    await session.ClaimTicketAsync(hosts[c.Host].HostId, c.Map, grant.Epoch, grant.Nonce);
                }
                catch (ClusterException e)
                {
                    throw new LoadToolException($"putting char {c.CharId} on {c.Map}: {e.Code} {e.Message}", e);
                }
            });
    }

    public async ValueTask DisposeAsync()
    {
        await _client.StopAsync();
        _client.Dispose();
    }
}
