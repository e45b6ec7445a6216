using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Orleans.Concurrency;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// Stateless worker: a probe runs on the silo the caller reaches (several at once), so it measures that silo's path
/// to the host. One bounded connect, no retry: a turn never outlasts <see cref="IEndpointProbeGrain.MaxTimeoutMs"/>.
/// </summary>
[StatelessWorker]
public sealed class EndpointProbeGrain(TimeProvider time) : Grain, IEndpointProbeGrain
{
    public async Task<EndpointProbe> ProbeAsync(string endpoint, int timeoutMs)
    {
        var at = time.GetUtcNow();
        int bounded = Math.Clamp(timeoutMs, 1, IEndpointProbeGrain.MaxTimeoutMs);
        var watch = Stopwatch.StartNew();
        string? error = null;
        if (!TrySplit(endpoint, out string host, out int port))
            error = "not host:port";
        else
        {
            using var timeout = new CancellationTokenSource(bounded);
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(host, port, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                error = $"no answer within {bounded} ms";
            }
            catch (SocketException e)
            {
                error = e.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData => "host not found",
                    SocketError.NetworkUnreachable or SocketError.HostUnreachable => "no route to host",
                    _ => e.Message,
                };
            }
        }
        return new EndpointProbe(endpoint, error is null, Math.Round(watch.Elapsed.TotalMilliseconds, 1), error, RuntimeIdentity, at);
    }

    private static bool TrySplit(string endpoint, out string host, out int port)
    {
        host = "";
        port = 0;
        int colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), out port) || port is < 1 or > 65535) return false;
        host = endpoint[..colon].Trim('[', ']');
        return host.Length > 0 && (IPAddress.TryParse(host, out _) || Uri.CheckHostName(host) == UriHostNameType.Dns);
    }
}
