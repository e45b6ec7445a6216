using System.Collections.Concurrent;
using P2PCluster.Hosting.Keys;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// The key this gateway signs tickets and handshakes with, at every moment the key set's active key
/// (<see cref="CoordinatorKeySet.Signing"/>). <see cref="KeyRingRefresher"/> replaces the set as it re-reads the store;
/// the switch itself happens at the next key's activateAt on every gateway alike, whether or not a read fell just then.
/// Until the first read, and if the set ever has no signing key, the last key it signed with (at first the seed) is used.
/// </summary>
public sealed class CoordinatorKeyRing(SigningIdentity seed, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, SigningIdentity> _parsed = new(StringComparer.Ordinal);
    private volatile CoordinatorKeySet _set = CoordinatorKeySet.Empty;
    private volatile SigningIdentity _last = seed;

    /// <summary>The key set as last read.</summary>
    public CoordinatorKeySet Set => _set;

    /// <summary>The key to sign with now.</summary>
    public SigningIdentity Current
    {
        get
        {
            if (_set.Signing(time.GetUtcNow()) is not { } entry) return _last;
            var identity = _parsed.GetOrAdd(entry.KeyId, _ => KeyFiles.ParsePrivate(entry.PrivateKeyPem, $"key set entry {entry.KeyId}"));
            _last = identity;
            return identity;
        }
    }

    /// <summary>The key with id <paramref name="keyId"/> if it is active or retiring now (a HELLO's preferred key); otherwise null.</summary>
    public SigningIdentity? StillSigning(ReadOnlyMemory<byte> keyId)
    {
        if (keyId.Length != ProtocolLimits.KeyIdLength) return null;
        var set = _set;
        var entry = set.Find(Convert.ToHexStringLower(keyId.Span));
        if (entry is null || set.StateOf(entry, time.GetUtcNow()) is not (CoordinatorKeyState.Active or CoordinatorKeyState.Retiring)) return null;
        return _parsed.GetOrAdd(entry.KeyId, _ => KeyFiles.ParsePrivate(entry.PrivateKeyPem, $"key set entry {entry.KeyId}"));
    }

    /// <summary>Goes up whenever a read finds the set's rows changed: host sessions then announce it again (KEY_SET).</summary>
    public int Version => _version;

    private volatile int _version;

    /// <summary>Takes a newly read set; throws <see cref="InvalidDataException"/> (and keeps the old set) if a key in it does not parse.</summary>
    public void Update(CoordinatorKeySet set)
    {
        foreach (var entry in set.Verifying(time.GetUtcNow()))
            _parsed.GetOrAdd(entry.KeyId, _ => KeyFiles.ParsePrivate(entry.PrivateKeyPem, $"key set entry {entry.KeyId}"));
        bool changed = !Rows(set).SequenceEqual(Rows(_set));
        _set = set;
        if (changed) _version++;
    }

    /// <summary>
    /// The KEY_SET a host agent is sent, signed by <paramref name="signer"/> (the key its handshake was signed with): every key that still verifies,
    /// then the most recently revoked ones, at most <see cref="KeySetPacket.MaxKeys"/> in all. Null before the first read.
    /// </summary>
    public KeySetPacket? Announcement(SigningIdentity signer)
    {
        var now = time.GetUtcNow();
        var set = _set;
        var keys = set.Verifying(now).OrderByDescending(e => e.ActivateAt)
            .Concat(set.Entries.Where(e => e.RevokedAt is not null).OrderByDescending(e => e.RevokedAt))
            .Take(KeySetPacket.MaxKeys)
            .Select(e => new AnnouncedKey(e.PublicKey, Ms(e.ActivateAt), e.RetireAt is { } at ? Ms(at) : 0, e.RevokedAt is not null))
            .ToList();
        return keys.Count == 0 ? null : new KeySetPacket(Ms(now), keys, default, default).Sign(signer);
    }

    private static ulong Ms(DateTimeOffset at) => (ulong)Math.Max(0, at.ToUnixTimeMilliseconds());

    private static IEnumerable<(string, DateTimeOffset, DateTimeOffset?, DateTimeOffset?)> Rows(CoordinatorKeySet set) =>
        set.Entries.OrderBy(e => e.KeyId, StringComparer.Ordinal).Select(e => (e.KeyId, e.ActivateAt, e.RetireAt, e.RevokedAt));
}
