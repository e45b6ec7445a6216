using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace P2PCluster.Gateway;

/// <summary>
/// Closes the gateway's and the database proxy's connections when the process starts stopping. Kestrel waits for
/// every open connection before it lets the host go on, and hosts and players hold theirs for hours: without this a
/// SIGTERM waited out the host's whole 30 s budget, and the silo behind had no time left to deactivate its grains.
/// A closed host reconnects (to another silo's gateway, or to this one when it is back); its maps keep running.
/// Runs in the host's stopping phase, after p2p-demo's players and agents (registered later) have left.
/// </summary>
public sealed partial class GatewayShutdown(ILogger<GatewayShutdown> logger) : IHostedLifecycleService
{
    private readonly ConcurrentDictionary<string, ConnectionContext> _open = new(StringComparer.Ordinal);
    private volatile bool _stopping;

    /// <summary>Connection middleware for a gateway listener: tracks the connection; refuses it once stopping.</summary>
    public ConnectionDelegate Track(ConnectionDelegate next) => async connection =>
    {
        if (_stopping)
        {
            connection.Abort(new ConnectionAbortedException("the gateway is shutting down"));
            return;
        }
        _open[connection.ConnectionId] = connection;
        try
        {
            if (_stopping) connection.Abort(new ConnectionAbortedException("the gateway is shutting down")); // raced StoppingAsync
            await next(connection);
        }
        finally
        {
            _open.TryRemove(connection.ConnectionId, out _);
        }
    };

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var open = _open.Values.ToList();
        foreach (var connection in open) connection.Abort(new ConnectionAbortedException("the gateway is shutting down"));
        LogClosing(logger, open.Count);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3150, Level = LogLevel.Information, Message = "Gateway stopping: closed {Count} connection(s); hosts reconnect to another gateway or when this one is back")]
    private static partial void LogClosing(ILogger logger, int count);
}
