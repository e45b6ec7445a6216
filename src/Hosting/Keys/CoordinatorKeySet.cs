namespace P2PCluster.Hosting.Keys;

/// <summary>
/// The coordinator's key set as read from its store. Every state is a function of the stored dates and the clock, so
/// silos and gateways that read the same rows agree on the signing key at every moment, and a switch needs no
/// coordination beyond having read the announcement before its activateAt.
/// </summary>
public sealed class CoordinatorKeySet(IReadOnlyList<CoordinatorKeyEntry> entries)
{
    public static readonly CoordinatorKeySet Empty = new([]);

    public IReadOnlyList<CoordinatorKeyEntry> Entries { get; } = entries;

    /// <summary>The key to sign with at <paramref name="now"/>: the latest-activated key that is neither revoked nor retired; null if none.</summary>
    public CoordinatorKeyEntry? Signing(DateTimeOffset now) =>
        Entries.Where(e => e.RevokedAt is null && e.ActivateAt <= now && !Retired(e, now))
            .OrderByDescending(e => e.ActivateAt).ThenByDescending(e => e.CreatedAt).ThenBy(e => e.KeyId, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>The state of <paramref name="entry"/> at <paramref name="now"/>; null once it is retired (past its retireAt).</summary>
    public CoordinatorKeyState? StateOf(CoordinatorKeyEntry entry, DateTimeOffset now)
    {
        if (entry.RevokedAt is not null) return CoordinatorKeyState.Revoked;
        if (Retired(entry, now)) return null;
        if (entry.ActivateAt > now) return CoordinatorKeyState.Next;
        return Signing(now)?.KeyId == entry.KeyId ? CoordinatorKeyState.Active : CoordinatorKeyState.Retiring;
    }

    /// <summary>Keys a signature may verify with at <paramref name="now"/>: next, active and retiring (not revoked, not retired).</summary>
    public IEnumerable<CoordinatorKeyEntry> Verifying(DateTimeOffset now) =>
        Entries.Where(e => StateOf(e, now) is CoordinatorKeyState.Next or CoordinatorKeyState.Active or CoordinatorKeyState.Retiring);

    /// <summary>Every key with a state at <paramref name="now"/> (retired ones left out), in activation order.</summary>
    public IEnumerable<(CoordinatorKeyEntry Entry, CoordinatorKeyState State)> Listed(DateTimeOffset now) =>
        Entries.OrderBy(e => e.ActivateAt).ThenBy(e => e.KeyId, StringComparer.Ordinal)
            .Select(e => (e, StateOf(e, now))).Where(x => x.Item2 is not null).Select(x => (x.e, x.Item2!.Value));

    public CoordinatorKeyEntry? Find(string keyId) =>
        Entries.FirstOrDefault(e => string.Equals(e.KeyId, keyId, StringComparison.OrdinalIgnoreCase));

    private static bool Retired(CoordinatorKeyEntry entry, DateTimeOffset now) => entry.RetireAt is { } at && at <= now;
}
