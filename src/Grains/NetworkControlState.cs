namespace P2PCluster.Grains;

/// <summary>Persisted state of a <see cref="NetworkControlGrain"/>.</summary>
[GenerateSerializer, Alias("p2p.NetworkControlState.v1")]
public sealed class NetworkControlState
{
    [Id(0)] public bool P2PPaused { get; set; }
    [Id(1)] public DateTimeOffset? PausedAt { get; set; }
    [Id(2)] public string? PausedBy { get; set; }

    /// <summary>How many network resets were begun; never decreases.</summary>
    [Id(3)] public long ResetGeneration { get; set; }

    public NetworkControlState Copy() => (NetworkControlState)MemberwiseClone();
}
