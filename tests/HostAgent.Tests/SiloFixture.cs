using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using P2PCluster.Gateway;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Characters;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;
using P2PCluster.Silo;
using P2PCluster.TestSupport;

namespace P2PCluster.HostAgent.Tests;

/// <summary>
/// A real silo with its gateway and database proxy, in this process, composed as p2p-silo composes it (embedded
/// default: accounts and characters in memory), with two 300×200 maps for agents under test to run. Tests add their
/// own players (<see cref="AddPlayer"/>) and read the character store the proxy writes.
/// </summary>
public sealed class SiloFixture : IAsyncLifetime
{
    public const string MapA = "agdb1", MapB = "agdb2";
    public const string Password = "pw-ok";

    private static int _nextAccount = 4_600_000, _nextChar = 760_000;
    private readonly DirectoryInfo _dataDir = Directory.CreateTempSubdirectory("p2p-agent-silo-");
    private WebApplication? _app;

    public IPEndPoint Endpoint { get; private set; } = null!;
    public string EndpointText => $"127.0.0.1:{Endpoint.Port}";
    public int DbProxyPort { get; private set; }
    public byte[] CoordinatorPublicKey { get; private set; } = [];
    public IGrainFactory Grains => _app!.Services.GetRequiredService<IGrainFactory>();
    public InMemoryCharacterStore Characters => (InMemoryCharacterStore)_app!.Services.GetRequiredService<ICharacterStore>();
    public InMemoryAccountStore Accounts { get; } = new();

    public async Task InitializeAsync()
    {
        int port = FreePort.Next();
        DbProxyPort = FreePort.Next();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["coordinator:port"] = port.ToString(),
            ["coordinator:db_proxy_port"] = DbProxyPort.ToString(),
            ["coordinator:bind_address"] = "127.0.0.1",
            [$"maps:{MapA}:width"] = "300",
            [$"maps:{MapA}:height"] = "200",
            [$"maps:{MapB}:width"] = "300",
            [$"maps:{MapB}:height"] = "200",
            ["cluster:silo_port"] = FreePort.Next().ToString(),
            ["cluster:gateway_port"] = FreePort.Next().ToString(),
            ["http:urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["security:data_dir"] = _dataDir.FullName,
        }).Build();
        var settings = CoordinatorSettings.Load(configuration);
        var key = CoordinatorKey.Load(settings);
        CoordinatorPublicKey = key.Identity.PublicKey;
        _app = SiloHost.Build(settings, key, accounts: (Accounts, new AccountSourceDescription("the test's in-memory store")));
        await _app.StartAsync();
        Endpoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    /// <summary>A new account with one character on <paramref name="map"/> at 150,100, level 10; ids unique to the caller.</summary>
    public (string User, uint CharId) AddPlayer(string map)
    {
        int account = Interlocked.Increment(ref _nextAccount), character = Interlocked.Increment(ref _nextChar);
        Accounts.Add(new AccountRecord(account, $"agent{account}", Password, 'F', 0));
        Accounts.Add(new CharacterSummary(character, account, 0, $"Ag{character}", 0, 10, map, 150, 100));
        return ($"agent{account}", (uint)character);
    }

    /// <summary>Waits until <paramref name="map"/> runs on <paramref name="hostId"/>, as a RESOLVE needs it.</summary>
    public Task WaitForRunningAsync(string map, string hostId, TimeSpan timeout) =>
        Eventually.HoldsAsync(() => Grains.GetGrain<IMapGrain>(map).GetAsync(),
            info => info.Assignment?.HostId == hostId && info.InstanceState == MapInstanceState.Running && info.InstancePort > 0,
            $"{map} running on {hostId}", timeout);

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _dataDir.Delete(recursive: true);
    }
}

/// <summary>Runs alone: a silo starting takes both cores for seconds, which would upset the timing tests running beside it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SiloCollection : ICollectionFixture<SiloFixture>
{
    public const string Name = "in-process silo";
}
