using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace P2PCluster.Protocol;

/// <summary>
/// A player's ticket onto one map instance (docs/protocol.md, "Tickets"): who (account, character), where (map, host,
/// epoch), when (issued, expires, Unix milliseconds) and a random nonce, signed by the coordinator's Ed25519 key so a
/// host can check it offline. Signed bytes: <c>"P2PCluster/1 ticket" ‖ body</c>; the ticket on the wire is
/// <c>body ‖ signature</c>.
/// </summary>
public sealed record Ticket(
    byte[] KeyId,
    uint AccountId,
    uint CharId,
    string Map,
    string HostId,
    ulong Epoch,
    long IssuedMs,
    long ExpiresMs,
    byte[] Nonce)
{
    public const byte Version = 1;
    public const int NonceLength = 16;
    public const int MaxNameLength = 32;

    /// <summary>The longest validity a verifier accepts: tickets are for getting onto a map now, not for later.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The last millisecond of year 9999: later times are malformed.</summary>
    public const long MaxTimeMs = 253_402_300_799_999;

    public static ReadOnlySpan<byte> SignatureLabel => "P2PCluster/1 ticket"u8;

    /// <summary>The largest ticket on the wire: version, key id, ids, two names, epoch, times, nonce, signature.</summary>
    public const int MaxLength = 1 + ProtocolLimits.KeyIdLength + 4 + 4 + (1 + MaxNameLength) * 2 + 8 + 8 + 8 + NonceLength + ProtocolLimits.SignatureLength;

    public string NonceHex => Convert.ToHexStringLower(Nonce);

    /// <summary>Signs this ticket with <paramref name="coordinator"/> (whose key id it must carry); returns the wire bytes.</summary>
    public byte[] Sign(SigningIdentity coordinator)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        if (!KeyId.AsSpan().SequenceEqual(coordinator.KeyId)) throw new ArgumentException("the ticket's key id is not the signing key's");
        var body = WriteBody();
        var signature = coordinator.Sign(SignatureInput(body));
        var wire = new byte[body.Length + signature.Length];
        body.CopyTo(wire, 0);
        signature.CopyTo(wire, body.Length);
        return wire;
    }

    /// <summary>
    /// Parses a ticket without checking its signature (see <see cref="TicketVerifier"/>); false if malformed,
    /// including a validity window longer than <see cref="MaxLifetime"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> wire, out Ticket ticket, out int bodyLength)
    {
        ticket = null!;
        bodyLength = 0;
        if (wire.Length > MaxLength) return false;
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(wire.ToArray()));
        if (!reader.TryReadU8(out byte version) || version != Version
            || !reader.TryReadBytes(ProtocolLimits.KeyIdLength, out var keyId)
            || !reader.TryReadU32(out uint account) || !reader.TryReadU32(out uint character)
            || !TryReadName(ref reader, out string map) || !TryReadName(ref reader, out string host)
            || !reader.TryReadU64(out ulong epoch) || !reader.TryReadI64(out long issued) || !reader.TryReadI64(out long expires)
            || !reader.TryReadBytes(NonceLength, out var nonce)
            || reader.Remaining != ProtocolLimits.SignatureLength)
            return false;
        if (account == 0 || character == 0 || epoch == 0 || issued is < 0 or > MaxTimeMs || expires <= issued
            || expires - issued > (long)MaxLifetime.TotalMilliseconds)
            return false;
        bodyLength = (int)reader.Consumed;
        ticket = new Ticket(keyId, account, character, map, host, epoch, issued, expires, nonce);
        return true;
    }

    public static byte[] SignatureInput(ReadOnlySpan<byte> body)
    {
        var input = new byte[SignatureLabel.Length + body.Length];
        SignatureLabel.CopyTo(input);
        body.CopyTo(input.AsSpan(SignatureLabel.Length));
        return input;
    }

    private byte[] WriteBody()
    {
        if (KeyId is not { Length: ProtocolLimits.KeyIdLength }) throw new ArgumentException($"key id must be {ProtocolLimits.KeyIdLength} bytes");
        if (Nonce is not { Length: NonceLength }) throw new ArgumentException($"nonce must be {NonceLength} bytes");
        if (AccountId == 0 || CharId == 0 || Epoch == 0) throw new ArgumentException("account id, char id and epoch must be positive");
        if (IssuedMs is < 0 or > MaxTimeMs || ExpiresMs <= IssuedMs || ExpiresMs - IssuedMs > (long)MaxLifetime.TotalMilliseconds)
            throw new ArgumentException($"a ticket must expire after it is issued, within {MaxLifetime.TotalMinutes} minutes");
        RequireName(Map, "map");
        RequireName(HostId, "host id");
        var body = new byte[1 + ProtocolLimits.KeyIdLength + 8 + WireText.Size(Map) + WireText.Size(HostId) + 24 + NonceLength];
        var d = body.AsSpan();
        d[0] = Version;
        KeyId.CopyTo(d[1..]);
        int at = 1 + ProtocolLimits.KeyIdLength;
        BinaryPrimitives.WriteUInt32LittleEndian(d[at..], AccountId);
        BinaryPrimitives.WriteUInt32LittleEndian(d[(at + 4)..], CharId);
        at += 8;
        at += WireText.Write(d[at..], Map);
        at += WireText.Write(d[at..], HostId);
        BinaryPrimitives.WriteUInt64LittleEndian(d[at..], Epoch);
        BinaryPrimitives.WriteInt64LittleEndian(d[(at + 8)..], IssuedMs);
        BinaryPrimitives.WriteInt64LittleEndian(d[(at + 16)..], ExpiresMs);
        Nonce.CopyTo(d[(at + 24)..]);
        return body;
    }

    private static void RequireName(string value, string what)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxNameLength || !Ascii.IsValid(value))
            throw new ArgumentException($"ticket {what} '{value}' must be 1–{MaxNameLength} ASCII characters");
    }

    private static bool TryReadName(ref SequenceReader<byte> reader, out string value) =>
        WireText.TryRead(ref reader, out value) && value.Length is > 0 and <= MaxNameLength;
}
