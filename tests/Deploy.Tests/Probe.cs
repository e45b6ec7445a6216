using System.Net.Sockets;

namespace P2PCluster.Deploy.Tests;

/// <summary>Whether a loopback port accepts a TCP connection, and what an HTTP GET answers, right now.</summary>
public static class Probe
{
    // A deadline, not a wait: a listener that accepts answers at once; the first request of a fresh process (JIT) on a
    // loaded 2-core machine has been seen to take over 2 s.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        using var deadline = new CancellationTokenSource(Timeout);
        try
        {
            await client.ConnectAsync("127.0.0.1", port, deadline.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The body of <c>GET url</c>, or why there is none.</summary>
    public static async Task<string> GetAsync(string url)
    {
        using var http = new HttpClient { Timeout = Timeout };
        try
        {
            return await http.GetStringAsync(url);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"(no answer: {e.Message})";
        }
    }
}
