namespace P2PCluster.Grains.Interfaces;

/// <summary>A map a host must stop: it holds it under <paramref name="Epoch"/>, which is no longer current.</summary>
[GenerateSerializer, Immutable, Alias("p2p.MapRevocation.v1")]
public sealed record MapRevocation(
    [property: Id(0)] string Map,
    [property: Id(1)] long Epoch,
    [property: Id(2)] RevocationReason Reason);

/// <summary>Mirror of the protocol's RevokeReason.</summary>
public enum RevocationReason : byte
{
    Reassigned = 0,
    StaleEpoch = 1,
    Rebalanced = 2,
    Drained = 3,
    Disabled = 4,
}
