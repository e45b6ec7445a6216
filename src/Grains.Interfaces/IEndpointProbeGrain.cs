namespace P2PCluster.Grains.Interfaces;

/// <summary>Dials a host's advertised endpoint from the cluster's side (as a player's client would), once, bounded. Stateless, runs on the calling silo.</summary>
[Alias("p2p.IEndpointProbeGrain")]
public interface IEndpointProbeGrain : IGrainWithIntegerKey
{
    /// <summary>Largest <c>timeoutMs</c>: under the cluster's default response timeout (5 s), so a probe never times out the call.</summary>
    const int MaxTimeoutMs = 4000;

    /// <summary>
    /// Opens a TCP connection to <paramref name="endpoint"/> (host:port, [IPv6]:port) and closes it at once; never
    /// retries, never waits past <paramref name="timeoutMs"/> (at most <see cref="MaxTimeoutMs"/>). Sends nothing.
    /// </summary>
    [Alias("ProbeAsync")]
    Task<EndpointProbe> ProbeAsync(string endpoint, int timeoutMs);
}
