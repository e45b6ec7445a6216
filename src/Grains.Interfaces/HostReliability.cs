namespace P2PCluster.Grains.Interfaces;

/// <summary>A host's track record, the input placement uses to prefer hosts that stay up.</summary>
[GenerateSerializer, Immutable, Alias("p2p.HostReliability.v1")]
public sealed record HostReliability(
    [property: Id(0)] int Sessions,
    [property: Id(1)] int Failures,
    [property: Id(2)] TimeSpan TotalUptime,
    [property: Id(3)] DateTimeOffset? LastFailureAt,
    [property: Id(4)] string? LastFailureReason,
    [property: Id(5)] int RejectedWrites = 0)
{
    /// <summary>A new instance each time: persisted state never shares one object (see <see cref="MapPolicy.Default"/>).</summary>
    public static HostReliability Empty => new(0, 0, TimeSpan.Zero, null, null);

    /// <summary>
    /// Share of sessions that ended cleanly, 1 for a host never seen failing. Each database write the proxy refused
    /// counts as a failure: a host that tries to write what the game would not allow is not one to trust with a map.
    /// </summary>
    public double CleanRatio() =>
        Sessions == 0 ? (RejectedWrites == 0 ? 1.0 : 0.0) : Math.Max(0, Sessions - Failures - RejectedWrites) / (double)Sessions;
}
