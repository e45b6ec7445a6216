using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using P2PCluster.Gateway;
using P2PCluster.Grains.Accounts;
using P2PCluster.Hosting;
using P2PCluster.Silo;
using P2PCluster.TestSupport;

namespace P2PCluster.LoadTool;

/// <summary>
/// A real silo with its hosted gateway, composed by <see cref="SiloHost.Build"/> exactly as p2p-silo composes the
/// embedded default, on free loopback ports, with limits raised so the load, not a limit, is what gets measured.
/// </summary>
public sealed class InProcessGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DirectoryInfo _dataDir;

    private InProcessGateway(WebApplication app, DirectoryInfo dataDir, LoadTarget target)
    {
        _app = app;
        _dataDir = dataDir;
        Target = target;
    }

    public LoadTarget Target { get; }

    /// <summary>The silo's grain factory, for calls that skip the network (scenario <c>grain</c>).</summary>
    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    /// <param name="extra">Further configuration keys (<c>section:key</c>), e.g. <c>maps:</c> and <c>distribution:</c>.</param>
    /// <param name="accounts">Player accounts (scenario <c>resolve</c>); by default the embedded default's (none here).</param>
    public static async Task<InProcessGateway> StartAsync(bool encryption, int connections, CancellationToken cancellationToken,
        IEnumerable<KeyValuePair<string, string?>>? extra = null, InMemoryAccountStore? accounts = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("p2p-loadtool-");
        int port = FreePort.Next();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["coordinator:port"] = port.ToString(CultureInfo.InvariantCulture),
            ["coordinator:db_proxy_port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["coordinator:bind_address"] = "127.0.0.1",
            ["coordinator:max_connections"] = (connections + 10).ToString(CultureInfo.InvariantCulture),
            ["coordinator:max_connections_per_address"] = (connections + 10).ToString(CultureInfo.InvariantCulture), // every client is 127.0.0.1
            ["coordinator:host_reserve_percent"] = "0", // the measured clients may be game clients: all places are theirs
            ["coordinator:max_frames_per_second"] = "1000000",
            ["security:encryption_enabled"] = encryption ? "true" : "false",
            ["security:data_dir"] = dataDir.FullName,
            ["cluster:silo_port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["cluster:gateway_port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["http:urls"] = "", // no dashboard listener: nothing but the gateway port is served
        }).AddInMemoryCollection(extra ?? []).Build();
        try
        {
            var settings = CoordinatorSettings.Load(configuration);
            var key = CoordinatorKey.Load(settings);
            var app = SiloHost.Build(settings, key,
                accounts: accounts is null ? null : (accounts, new AccountSourceDescription($"the load tool's {accounts.AccountCount} accounts")));
            await app.StartAsync(cancellationToken);
            var target = new LoadTarget(encryption ? "encrypted" : "plain", new IPEndPoint(IPAddress.Loopback, port), key.Identity.PublicKey, encryption);
            return new InProcessGateway(app, dataDir, target);
        }
        catch
        {
            dataDir.Delete(recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _dataDir.Delete(recursive: true);
    }
}
