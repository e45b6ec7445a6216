using System.Net;
using System.Net.Sockets;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// A TCP relay between an agent and a gateway that can be cut like a network partition: after <see cref="Cut"/> it
/// forwards nothing either way, closes nothing (no FIN, no RST: both ends see silence) and swallows new connections
/// unanswered, so the agent can neither be heard nor reconnect.
/// </summary>
public sealed class LinkCutter : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accept;
    private volatile bool _cut;

    public LinkCutter(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Cut() => _cut = true;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_sockets) _sockets.Add(client);
            if (_cut) continue; // held open, never answered
            var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
            lock (_sockets) _sockets.Add(server);
            try
            {
                await server.ConnectAsync(_target, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                continue;
            }
            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16384];
        try
        {
            while (true)
            {
                int n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0)
                {
                    if (!_cut) to.Shutdown(SocketShutdown.Send);
                    return;
                }
                if (_cut) continue; // dropped on the floor, as by a dead link
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sockets) foreach (var s in _sockets) s.Dispose();
        await _accept;
        _stop.Dispose();
    }
}
