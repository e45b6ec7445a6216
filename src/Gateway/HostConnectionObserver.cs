using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Gateway;

/// <summary>Receives a host grain's pushes for one connection and hands them to its session.</summary>
public sealed class HostConnectionObserver(GatewaySession session) : IHostConnection
{
    public Task CloseAsync(ClusterError code, string message) => session.CloseFromClusterAsync(code, message);
}
