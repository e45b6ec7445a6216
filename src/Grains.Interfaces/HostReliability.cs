namespace P2PCluster.Grains.Interfaces;

/// <summary>A host's track record, the input placement uses to prefer hosts that stay up.</summary>
[GenerateSerializer, Immutable, Alias("p2p.HostReliability.v1")]
public sealed record HostReliability(
    [property: Id(0)] int Sessions,
    [property: Id(1)] int Failures,
    [property: Id(2)] TimeSpan TotalUptime,
    [property: Id(3)] DateTimeOffset? LastFailureAt,
    [property: Id(4)] string? LastFailureReason)
{
    public static HostReliability Empty { get; } = new(0, 0, TimeSpan.Zero, null, null);

    /// <summary>Share of sessions that ended cleanly, 1 for a host never seen failing.</summary>
    public double CleanRatio() => Sessions == 0 ? 1.0 : Math.Max(0, Sessions - Failures) / (double)Sessions;
}
