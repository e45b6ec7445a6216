using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using P2PCluster.Client;
using P2PCluster.Gateway;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Characters;
using P2PCluster.Hosting;
using P2PCluster.Protocol;
using P2PCluster.Silo;
using P2PCluster.TestSupport;

namespace P2PCluster.Gateway.Tests;

/// <summary>
/// A real silo with its hosted gateway, in this process, composed exactly as p2p-silo composes it (embedded
/// default), listening on loopback ports; tests talk to it over real sockets. Small limits make them reachable.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const int MaxConnections = 40;
    public const int MaxPendingHandshakes = 4;
    public const int HandshakeTimeoutMs = 1500;
    public const int MaxFramesPerSecond = 200;

    private readonly DirectoryInfo _dataDir = Directory.CreateTempSubdirectory("p2p-gw-");
    private readonly IReadOnlyDictionary<string, string?> _overrides;
    private WebApplication? _app;

    public GatewayFixture() : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>The same gateway with other settings (<see cref="LimitsFixture"/>).</summary>
    internal GatewayFixture(IReadOnlyDictionary<string, string?> overrides) => _overrides = overrides;

    public IPEndPoint Endpoint { get; private set; } = null!;
    public IPEndPoint DbProxyEndpoint { get; private set; } = null!;
    public InMemoryCharacterStore Characters => (InMemoryCharacterStore)_app!.Services.GetRequiredService<ICharacterStore>();
    public byte[] CoordinatorPublicKey { get; private set; } = [];
    public GatewayMetrics Metrics => _app!.Services.GetRequiredService<GatewayMetrics>();

    /// <summary>Records this gateway's instruments from now on.</summary>
    public MeterRecorder RecordMeters() => new(_app!.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
    public HandshakeAdmission Handshakes => _app!.Services.GetRequiredService<HandshakeAdmission>();
    public IGrainFactory Grains => _app!.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The players the silo knows; tests add their own, with ids unique to them.</summary>
    public InMemoryAccountStore Accounts { get; } = new();

    public async Task InitializeAsync()
    {
        int port = FreePort.Next(), proxyPort = FreePort.Next();
        var values = new Dictionary<string, string?>
        {
            ["coordinator:port"] = port.ToString(),
            ["coordinator:db_proxy_port"] = proxyPort.ToString(),
            ["maps:gproxy1:width"] = "300",
            ["maps:gproxy1:height"] = "200",
            ["coordinator:bind_address"] = "127.0.0.1",
            ["coordinator:max_connections"] = MaxConnections.ToString(),
            // The hostile tests fill every place from 127.0.0.1 (LimitsFixture tests the quota and the reserve).
            ["coordinator:max_connections_per_address"] = MaxConnections.ToString(),
            ["coordinator:host_reserve_percent"] = "0",
            ["coordinator:max_pending_handshakes"] = MaxPendingHandshakes.ToString(),
            ["coordinator:handshake_timeout_ms"] = HandshakeTimeoutMs.ToString(),
            ["coordinator:max_frames_per_second"] = MaxFramesPerSecond.ToString(),
            ["coordinator:max_frame_size"] = "1024",
            ["cluster:silo_port"] = FreePort.Next().ToString(),
            ["cluster:gateway_port"] = FreePort.Next().ToString(),
            ["http:urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["security:data_dir"] = _dataDir.FullName,
            // Test clients here do not heartbeat; liveness is tested with real agents.
            ["distribution:heartbeat_timeout_ms"] = "600000",
        };
        foreach (var (name, value) in _overrides) values[name] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var settings = CoordinatorSettings.Load(configuration);
        var key = CoordinatorKey.Load(settings);
        CoordinatorPublicKey = key.Identity.PublicKey;
        _app = SiloHost.Build(settings, key, accounts: (Accounts, new AccountSourceDescription("the test's in-memory store")));
        await _app.StartAsync();
        Endpoint = new IPEndPoint(IPAddress.Loopback, port);
        DbProxyEndpoint = new IPEndPoint(IPAddress.Loopback, proxyPort);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _dataDir.Delete(recursive: true);
    }

    public CoordinatorConnectionOptions ClientOptions(SigningIdentity? identity = null, PeerRole role = PeerRole.GameClient) => new()
    {
        CoordinatorKeys = [CoordinatorPublicKey],
        Role = identity is null ? role : PeerRole.HostAgent,
        Identity = identity,
        Endpoint = identity is null ? "" : "127.0.0.1:6121",
    };

    public Task<CoordinatorConnection> ConnectAsync(SigningIdentity? identity = null) =>
        CoordinatorConnection.ConnectAsync(Endpoint, ClientOptions(identity));
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
