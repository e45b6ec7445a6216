using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.LoadTool;

/// <summary>
/// A Kestrel host in this process serving <see cref="EchoConnectionHandler"/> on a free loopback port, or with
/// <c>encrypted</c> <see cref="SecureEchoConnectionHandler"/> under a fresh coordinator key.
/// </summary>
public sealed class EchoServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly SigningIdentity _key;

    private EchoServer(WebApplication app, SigningIdentity key, LoadTarget target)
    {
        _app = app;
        _key = key;
        Target = target;
    }

    public LoadTarget Target { get; }

    public static async Task<EchoServer> StartAsync(CancellationToken cancellationToken, bool encrypted = false)
    {
        var key = SigningIdentity.Generate();
        var endpoint = new IPEndPoint(IPAddress.Loopback, FreePort.Next());
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(key);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endpoint, listen =>
        {
            if (encrypted) listen.UseConnectionHandler<SecureEchoConnectionHandler>();
            else listen.UseConnectionHandler<EchoConnectionHandler>();
        }));
        var app = builder.Build();
        await app.StartAsync(cancellationToken);
        return new EchoServer(app, key, encrypted
            ? new LoadTarget("encrypted echo", endpoint, key.PublicKey, Encrypted: true)
            : new LoadTarget("echo", endpoint));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
