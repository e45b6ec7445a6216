using Microsoft.AspNetCore.Connections;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>Kestrel entry point for the gateway port: admits a connection within <c>coordinator.max_connections</c> and its address's quota, and runs its session.</summary>
public class GatewayConnectionHandler(GatewayContext context) : ConnectionHandler
{
    /// <summary>Whether this handler's port is the database proxy (<c>coordinator.db_proxy_port</c>).</summary>
    protected virtual bool DatabaseProxy => false;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var address = ConnectionLimiter.AddressOf(connection.RemoteEndPoint);
        if (context.Limiter.TryEnter(address) is { } limit)
        {
            context.Metrics.Refuse(limit);
            context.Metrics.Reject(ProtocolError.ServerBusy);
            string message = limit == ConnectionLimit.PerAddress
                ? $"too many connections from your address ({context.Coordinator.EffectiveMaxConnectionsPerAddress}); retry later"
                : $"server full ({context.Coordinator.MaxConnections} connections); retry later";
            var writer = new FrameWriter(connection.Transport.Output);
            await writer.SendAsync(new ErrorPacket(ProtocolError.ServerBusy, message));
            await writer.CompleteAsync(FrameSession.DrainGrace);
            return;
        }

        context.Metrics.Opened();
        try
        {
            await new GatewaySession(connection, context, DatabaseProxy).RunAsync();
        }
        finally
        {
            context.Metrics.Closed();
            context.Limiter.Exit(address);
        }
    }
}

/// <summary>
/// Kestrel entry point for <c>coordinator.db_proxy_port</c>: the same limits, protocol and handshake as the gateway
/// port, for host agents only, with the database proxy's requests instead of the gateway's (docs/database-proxy.md).
/// </summary>
public sealed class DbProxyConnectionHandler(GatewayContext context) : GatewayConnectionHandler(context)
{
    protected override bool DatabaseProxy => true;
}
