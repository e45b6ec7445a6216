using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P2PCluster.TestSupport;

namespace P2PCluster.LoadTool;

/// <summary>A Kestrel host in this process serving <see cref="EchoConnectionHandler"/> on a free loopback port.</summary>
public sealed class EchoServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoServer(WebApplication app, IPEndPoint endpoint)
    {
        _app = app;
        Target = new LoadTarget("echo", endpoint);
    }

    public LoadTarget Target { get; }

    public static async Task<EchoServer> StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, FreePort.Next());
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(endpoint, listen => listen.UseConnectionHandler<EchoConnectionHandler>()));
        var app = builder.Build();
        await app.StartAsync(cancellationToken);
        return new EchoServer(app, endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
