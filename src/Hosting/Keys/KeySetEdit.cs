namespace P2PCluster.Hosting.Keys;

/// <summary>What a key set change writes (new or updated entries, never deletions) and a line saying what it did.</summary>
public sealed record KeySetEdit(IReadOnlyList<CoordinatorKeyEntry> Changed, string Summary)
{
    public static KeySetEdit None(string summary) => new([], summary);
}
