using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>A <see cref="HostIndex"/> and the <see cref="LinearPlacement"/> reference fed the same operations; every answer must agree.</summary>
public sealed class PlacementPair
{
    public HostIndex Index { get; } = new();

    public LinearPlacement Reference { get; } = new();

    public void Upsert(HostCandidate host)
    {
        Index.Upsert(host);
        Reference.Upsert(host);
    }

    public void Remove(string hostId) => Assert.Equal(Reference.Remove(hostId), Index.Remove(hostId));

    public HostChoice? Place(MapPolicy policy, string? excludeHost, string context = "")
    {
        int expectedEligible = Reference.CountEligible(policy, excludeHost);
        Assert.True(expectedEligible == Index.CountEligible(policy, excludeHost), $"eligible count for {policy}, excluding {excludeHost ?? "none"} {context}");
        var expected = Reference.Place(policy, excludeHost);
        var actual = Index.Place(policy, excludeHost);
        // The reference lists no considered candidates; the choice itself must be the same.
        bool same = expected is null ? actual is null : actual is { } a && (a with { Considered = null }) == expected.Value;
        Assert.True(same, $"{policy}, excluding {excludeHost ?? "none"} {context}: expected {expected}, got {actual}");
        return actual;
    }

    public void AssertSameHosts(string context = "") =>
        Assert.True(Reference.Candidates.OrderBy(h => h.HostId, StringComparer.Ordinal).SequenceEqual(Index.Candidates.OrderBy(h => h.HostId, StringComparer.Ordinal)),
            $"host lists differ {context}");
}
