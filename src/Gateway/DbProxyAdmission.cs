using P2PCluster.Gateway.Handlers;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// Who may use the database proxy (docs/database-proxy.md): a host agent identified by its Ed25519 key that is
/// connected at the coordinator port (its grain counts it live) with the same key.
/// </summary>
public static class DbProxyAdmission
{
    /// <summary>Null when <paramref name="identify"/> is admitted, else the ERROR that refuses it.</summary>
    public static async ValueTask<(ProtocolError Code, string Message)?> CheckAsync(GatewayContext context, PeerRole role, IdentifyPacket identify)
    {
        if (role != PeerRole.HostAgent || identify.Type != IdentityType.Ed25519)
            return (ProtocolError.IdentityRejected, "the database proxy serves host agents only, identified by their Ed25519 key");
        string hostId = HandshakeCrypto.HostId(identify.PublicKey.Span);
        try
        {
            var host = await context.Grains.GetGrain<IHostGrain>(hostId).GetAsync();
            if (host.PublicKey is null || !host.PublicKey.AsSpan().SequenceEqual(identify.PublicKey.Span))
                return (ErrorMapping.ToProtocol(ClusterError.IdentityMismatch), $"host {hostId} is not known to the cluster");
            if (host.Status is not (HostStatus.Online or HostStatus.Draining))
                return (ErrorMapping.ToProtocol(ClusterError.HostDeclaredDead), $"host {hostId} is {host.Status}: connect at the coordinator port first");
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return (ProtocolError.Unavailable, GrainFailure.UnavailableMessage);
        }
        return null;
    }
}
