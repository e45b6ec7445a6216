using System.Net;
using System.Net.Sockets;

namespace P2PCluster.LoadTool;

/// <summary>Loopback TCP ports nobody listens on, each handed out once per run.</summary>
public static class FreePort
{
    private static readonly HashSet<int> Handed = [];

    public static int Next()
    {
        lock (Handed)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (Handed.Add(port)) return port;
            }
        }
    }
}
