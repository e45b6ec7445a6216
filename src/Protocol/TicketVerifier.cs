using NSec.Cryptography;

namespace P2PCluster.Protocol;

/// <summary>
/// Checks tickets offline on a host (docs/protocol.md, "Tickets"), in this order: well-formed, signed by a known
/// coordinator key, inside its validity window (with <see cref="ClockSkew"/> either way), for this host, for a map this
/// host runs at the ticket's epoch, and not seen before. A ticket passing all of them is remembered until it expires, so
/// it opens the door once; the coordinator's claim then makes that once cluster-wide. Thread-safe.
/// </summary>
public sealed class TicketVerifier
{
    // Replaced whole (never mutated) when the agent learns a new key set: readers need no lock.
    private volatile Dictionary<string, (PublicKey Key, long RetireMs)> _keys = new(StringComparer.Ordinal);
    private readonly string _hostId;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal); // nonce → forget after (Unix ms)
    private readonly Lock _gate = new();
    private long _nextPrune;

    /// <param name="coordinatorKeys">Raw 32-byte Ed25519 public keys the coordinators sign with (more than one during a key rotation).</param>
    public TicketVerifier(IEnumerable<byte[]> coordinatorKeys, string hostId, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(coordinatorKeys);
        ArgumentException.ThrowIfNullOrEmpty(hostId);
        Trust(coordinatorKeys.Select(k => (k, long.MaxValue)));
        _hostId = hostId;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Replaces the trusted coordinator keys (a host agent that learned the key set, KEY_SET): each verifies tickets
    /// until its retire time (Unix ms; <see cref="long.MaxValue"/> for none). Throws if a key is not Ed25519 or none is given.
    /// </summary>
    public void Trust(IEnumerable<(byte[] Key, long RetireMs)> coordinatorKeys)
    {
        var keys = new Dictionary<string, (PublicKey, long)>(StringComparer.Ordinal);
        foreach (var (raw, retireMs) in coordinatorKeys)
        {
            if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPublicKey, out var key) || key is null)
                throw new ArgumentException("a coordinator key is not a raw 32-byte Ed25519 public key", nameof(coordinatorKeys));
            keys[Convert.ToHexStringLower(HandshakeCrypto.KeyId(raw))] = (key, retireMs);
        }
        if (keys.Count == 0) throw new ArgumentException("at least one coordinator key is needed", nameof(coordinatorKeys));
        _keys = keys;
    }

    /// <summary>How far the host's clock may be from the coordinator's.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Tickets remembered against replay (each until it expires).</summary>
    public int Remembered
    {
        get
        {
            lock (_gate) return _seen.Count;
        }
    }

    /// <summary>
    /// Forgets a nonce whose claim the coordinator never decided (it could not be reached, or the instance stopped while
    /// it waited): the same ticket may be presented again. Safe, because the coordinator's claim, not this cache, is what
    /// makes a ticket single-use; without it, a player whose session hands the same ticket out again (it is still fresh)
    /// was refused Replayed on every attempt for half the ticket's lifetime after a frozen silo.
    /// </summary>
    public void Release(Ticket ticket)
    {
        lock (_gate) _seen.Remove(ticket.NonceHex);
    }

    /// <summary>Verifies <paramref name="wire"/>; <paramref name="heldEpoch"/> gives the epoch this host runs a map at, or null.</summary>
    public TicketError Verify(ReadOnlySpan<byte> wire, Func<string, ulong?> heldEpoch, out Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(heldEpoch);
        if (!Ticket.TryParse(wire, out ticket, out int bodyLength)) return TicketError.Malformed;
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!_keys.TryGetValue(Convert.ToHexStringLower(ticket.KeyId), out var trusted) || now >= trusted.RetireMs) return TicketError.UnknownKey;
        if (!SignatureAlgorithm.Ed25519.Verify(trusted.Key, Ticket.SignatureInput(wire[..bodyLength]), wire[bodyLength..]))
            return TicketError.BadSignature;

        long skew = (long)ClockSkew.TotalMilliseconds;
        if (now > ticket.ExpiresMs + skew) return TicketError.Expired;
        if (now < ticket.IssuedMs - skew) return TicketError.NotYetValid;
        if (!string.Equals(ticket.HostId, _hostId, StringComparison.Ordinal)) return TicketError.WrongHost;
        if (heldEpoch(ticket.Map) is not { } held) return TicketError.MapNotHosted;
        if (held != ticket.Epoch) return TicketError.WrongEpoch;

        lock (_gate)
        {
            if (now >= _nextPrune)
            {
                foreach (var (nonce, until) in _seen)
                    if (until < now) _seen.Remove(nonce);
                _nextPrune = now + 1000;
            }
            return _seen.TryAdd(ticket.NonceHex, ticket.ExpiresMs + skew) ? TicketError.None : TicketError.Replayed;
        }
    }
}
