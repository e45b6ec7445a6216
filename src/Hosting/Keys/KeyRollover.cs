using P2PCluster.Protocol;

namespace P2PCluster.Hosting.Keys;

/// <summary>
/// The key set's changes, pure: each reads the set and the clock and returns the entries to write. The store applies
/// them under its lock (<see cref="ICoordinatorKeyStore.UpdateAsync"/>), so two operators rotating at once get one
/// next key and one refusal.
/// </summary>
public static class KeyRollover
{
    /// <summary>The first key of an empty set, active at once (a silo's coordinator_key_file on first start); nothing if the set has keys.</summary>
    public static KeySetEdit Seed(CoordinatorKeySet set, SigningIdentity key, DateTimeOffset now) =>
        set.Entries.Count > 0
            ? KeySetEdit.None("the key set already has keys")
            : new([Entry(key, now, activateAt: now)], $"seeded the key set with {KeyNames.KeyId(key.PublicKey)}, active now");

    /// <summary>
    /// Announces <paramref name="key"/> as the next key, active after <paramref name="rollover"/>; the current signing
    /// key then retires <paramref name="grace"/> after that. With no signing key at all the new key is active at once.
    /// </summary>
    public static KeySetEdit Rotate(CoordinatorKeySet set, SigningIdentity key, DateTimeOffset now, TimeSpan rollover, TimeSpan grace)
    {
        if (set.Listed(now).FirstOrDefault(x => x.State == CoordinatorKeyState.Next) is { Entry: { } next })
            throw new KeySetException($"key {next.KeyId} is already announced as next (active at {Text(next.ActivateAt)}); wait for it, or --revoke {next.KeyId} to cancel it");
        string id = KeyNames.KeyId(key.PublicKey);
        if (set.Find(id) is not null) throw new KeySetException($"key {id} is already in the key set");
        var current = set.Signing(now);
        if (current is null)
            return new([Entry(key, now, activateAt: now)], $"no key was active: {id} is active now");
        var activateAt = now + rollover;
        var retireAt = Millis(activateAt + grace);
        var changed = new List<CoordinatorKeyEntry> { Entry(key, now, activateAt) };
        if (current.RetireAt is null || current.RetireAt > retireAt) changed.Add(current with { RetireAt = retireAt });
        return new(changed, $"announced {id} as next: active at {Text(activateAt)}; {current.KeyId} signs until then and verifies until {Text(retireAt)}");
    }

    /// <summary>Ends a retiring key's grace now: it stops verifying. The active and next keys are refused (rotate or revoke instead).</summary>
    public static KeySetEdit Retire(CoordinatorKeySet set, string keyId, DateTimeOffset now)
    {
        var entry = Require(set, keyId);
        return set.StateOf(entry, now) switch
        {
            null => KeySetEdit.None($"{entry.KeyId} is already retired"),
            CoordinatorKeyState.Revoked => KeySetEdit.None($"{entry.KeyId} is revoked"),
            CoordinatorKeyState.Active => throw new KeySetException($"{entry.KeyId} is the active key: --rotate announces its successor, and it retires after the grace period"),
            CoordinatorKeyState.Next => throw new KeySetException($"{entry.KeyId} is announced but not yet active: --revoke {entry.KeyId} cancels it"),
            _ => new([entry with { RetireAt = Millis(now) }], $"retired {entry.KeyId}: it verifies nothing from now on"),
        };
    }

    /// <summary>
    /// Ends all trust in a key now. If it was the signing key, the announced next key becomes active at once, or
    /// <paramref name="replacement"/> does (agents that knew only the revoked key must be re-pinned by hand).
    /// </summary>
    public static KeySetEdit Revoke(CoordinatorKeySet set, string keyId, DateTimeOffset now, SigningIdentity replacement)
    {
        var entry = Require(set, keyId);
        if (entry.RevokedAt is not null) return KeySetEdit.None($"{entry.KeyId} was already revoked at {Text(entry.RevokedAt.Value)}");
        var changed = new List<CoordinatorKeyEntry> { entry with { RevokedAt = Millis(now) } };
        if (set.Signing(now)?.KeyId != entry.KeyId) return new(changed, $"revoked {entry.KeyId}");
        if (set.Listed(now).FirstOrDefault(x => x.State == CoordinatorKeyState.Next) is { Entry: { } next })
        {
            changed.Add(next with { ActivateAt = Millis(now) });
            return new(changed, $"revoked {entry.KeyId}; the announced next key {next.KeyId} is active now");
        }
        string id = KeyNames.KeyId(replacement.PublicKey);
        changed.Add(Entry(replacement, now, activateAt: now));
        return new(changed, $"revoked {entry.KeyId}; new key {id} is active now — agents that never learned it must be re-pinned (docs/operations.md)");
    }

    public static CoordinatorKeyEntry Entry(SigningIdentity key, DateTimeOffset now, DateTimeOffset activateAt) =>
        new(KeyNames.KeyId(key.PublicKey), key.PublicKey, KeyFiles.PrivatePem(key), Millis(now), Millis(activateAt), null, null);

    /// <summary>A time as the key set shows it: ISO 8601 UTC to the millisecond.</summary>
    public static string Text(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    // Stores keep milliseconds: an entry written and read back compares equal.
    private static DateTimeOffset Millis(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    private static CoordinatorKeyEntry Require(CoordinatorKeySet set, string keyId) =>
        set.Find(keyId.Trim()) ?? throw new KeySetException($"no key {keyId} in the key set (p2p-keygen --list shows them)");
}
