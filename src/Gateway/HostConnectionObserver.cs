using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// Receives a host grain's pushes for one connection and turns them into packets on it. A push that comes before the
/// session's WELCOME is held until it is out (<see cref="PushGate"/>).
/// </summary>
public sealed class HostConnectionObserver(GatewaySession session) : IHostConnection
{
    private readonly PushGate _gate = new();

    /// <summary>WELCOME is out: held pushes go now, later ones straight through.</summary>
    public Task OpenAsync() => _gate.OpenAsync();

    /// <summary>A grain asked for this connection to close (a ban): tell the host why, then end the read loop.</summary>
    public Task CloseAsync(ClusterError code, string message) => session.CloseAsync(ErrorMapping.ToProtocol(code), message);

    public Task AssignAsync(MapOrder order) => PushAsync(HostPackets.Assign(order));

    public Task RevokeAsync(MapRevocation revocation) => PushAsync(HostPackets.Revoke(revocation));

    private Task PushAsync<T>(T packet) where T : IPacket<T> => _gate.SendOrHoldAsync(() => SendAsync(packet));

    private async Task SendAsync<T>(T packet) where T : IPacket<T>
    {
        try
        {
            await session.SendAsync(packet);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is gone; the host learns its assignments from the next heartbeat after reconnecting.
        }
    }
}
