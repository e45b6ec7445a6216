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

    /// <summary>Takes a newly read set; throws <see cref="InvalidDataException"/> (and keeps the old set) if a key in it does not parse.</summary>
    public void Update(CoordinatorKeySet set)
    {
        foreach (var entry in set.Verifying(time.GetUtcNow()))
            _parsed.GetOrAdd(entry.KeyId, _ => KeyFiles.ParsePrivate(entry.PrivateKeyPem, $"key set entry {entry.KeyId}"));
        _set = set;
    }
}
