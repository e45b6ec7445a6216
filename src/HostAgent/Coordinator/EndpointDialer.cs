using System.Net;
using System.Net.Sockets;
using P2PCluster.Client;

namespace P2PCluster.HostAgent.Coordinator;

/// <summary>Opens a session to a <c>host:port</c> that may resolve to several addresses, trying each in turn.</summary>
public static class EndpointDialer
{
    public static async Task<CoordinatorConnection> ConnectAsync(CoordinatorEndpoint endpoint, CoordinatorConnectionOptions options, CancellationToken cancellationToken)
    {
        IPEndPoint[] addresses;
        using (var resolve = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            resolve.CancelAfter(options.HandshakeTimeout);
            addresses = await endpoint.ResolveAsync(resolve.Token);
        }
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        for (int i = 0; ; i++)
        {
            try
            {
                return await CoordinatorConnection.ConnectAsync(addresses[i], options, cancellationToken);
            }
            catch (SocketException) when (i + 1 < addresses.Length && !cancellationToken.IsCancellationRequested)
            {
                // Another address of the same name may answer.
            }
        }
    }
}
