using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>Receives a host grain's pushes for one connection and turns them into packets on it.</summary>
public sealed class HostConnectionObserver(GatewaySession session) : IHostConnection
{
    public Task CloseAsync(ClusterError code, string message) => session.CloseFromClusterAsync(code, message);

    public Task AssignAsync(MapOrder order) =>
        session.PushAsync(new AssignMapPacket(order.Map, (ulong)order.Epoch, (ushort)Math.Clamp(order.MaxPlayers, 1, ushort.MaxValue)));

    public Task RevokeAsync(MapRevocation revocation) => session.PushAsync(HostPackets.Revoke(revocation));
}
