using System.Net;
using System.Net.Sockets;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// Hands out ports of <c>maps.port_range_start..port_range_end</c>: one not held by another instance and free on
/// <paramref name="bindAddress"/> right now. It scans round robin from the last port handed out, so a port an
/// instance just left is not reused at once (players may still be trying it).
/// </summary>
public sealed class PortAllocator(IPAddress bindAddress, int start, int end)
{
    private readonly Lock _lock = new();
    private readonly HashSet<int> _held = [];
    private int _next;

    /// <summary>A free port, now held until <see cref="Release"/>; null if every port of the range is taken.</summary>
    public int? Reserve()
    {
        lock (_lock)
        {
            for (int i = 0; i <= end - start; i++)
            {
                int port = _next is 0 ? start : _next;
                _next = port == end ? start : port + 1;
                if (!_held.Contains(port) && IsFree(port))
                {
                    _held.Add(port);
                    return port;
                }
            }
            return null;
        }
    }

    public void Release(int port)
    {
        lock (_lock) _held.Remove(port);
    }

    private bool IsFree(int port)
    {
        using var probe = new Socket(bindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(bindAddress, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
