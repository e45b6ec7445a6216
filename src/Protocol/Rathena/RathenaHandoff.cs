using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;

namespace P2PCluster.Protocol.Rathena;

/// <summary>
/// What the two rAthena handoff packets (<see cref="NotifyZoneServerPacket"/>, <see cref="ServerMovePacket"/>) share:
/// the variant rule, the lengths, and the tail from offset 22 (IPv4, port, and the extended variant's domain field).
/// </summary>
public static class RathenaHandoff
{
    /// <summary>rAthena sends 0x0AC5 and 0x0AC7 when <c>PACKETVER &gt;= 20170315</c> (char_clif.cpp, clif.cpp).</summary>
    public const int FirstExtendedPacketVersion = 20170315;

    public const int ClassicLength = 28;
    public const int ExtendedLength = 156;

    /// <summary>The extended variant's trailing <c>char domain[128]</c>; rAthena always sends it empty, and so do we.</summary>
    public const int DomainLength = 128;

    /// <summary>The client packs cell coordinates in 10 bits (rAthena's <c>WBUFPOS</c>), so no cell lies beyond 1023.</summary>
    public const ushort MaxCoordinate = 1023;

    internal const int AddressOffset = 22;

    /// <summary>
    /// The variant a client expects, from its date as rAthena's <c>PACKETVER</c> (yyyymmdd, e.g. 20180620). The client
    /// does not announce its date on the wire; it is configuration, as it is for rAthena.
    /// </summary>
    public static HandoffVariant VariantFor(int packetVersion)
    {
        if (!DateOnly.TryParseExact(packetVersion.ToString("D8", CultureInfo.InvariantCulture), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            throw new ArgumentOutOfRangeException(nameof(packetVersion), packetVersion, "a client packet version is its date as yyyymmdd, e.g. 20180620");
        return packetVersion >= FirstExtendedPacketVersion ? HandoffVariant.Extended : HandoffVariant.Classic;
    }

    public static int LengthOf(HandoffVariant variant) => variant switch
    {
        HandoffVariant.Classic => ClassicLength,
        HandoffVariant.Extended => ExtendedLength,
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown handoff variant"),
    };

    internal static HandoffVariant RequireVariant(HandoffVariant variant) =>
        Enum.IsDefined(variant) ? variant : throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown handoff variant");

    internal static ushort RequireCoordinate(ushort value, string name) => value <= MaxCoordinate ? value
        : throw new ArgumentOutOfRangeException(name, value, $"{name} {value} is beyond {MaxCoordinate}: the client packs cell coordinates in 10 bits");

    internal static ZoneServerAddress RequireSet(ZoneServerAddress server) => server.IsSet ? server
        : throw new ArgumentException("the zone server address is unset (default)", nameof(server));

    /// <summary>A fresh span of exactly <paramref name="length"/> zero bytes: writer memory may hold stale data, and the padding must be zero.</summary>
    internal static Span<byte> Begin(IBufferWriter<byte> writer, int length, ushort id)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(length)[..length];
        span.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(span, id);
        return span;
    }

    /// <summary>
    /// Copies one whole packet with id <paramref name="classicId"/> or <paramref name="extendedId"/> into
    /// <paramref name="buffer"/> (at least <see cref="ExtendedLength"/> bytes) without advancing the reader.
    /// </summary>
    internal static ParseStatus Peek(in SequenceReader<byte> reader, ushort classicId, ushort extendedId, Span<byte> buffer, out HandoffVariant variant)
    {
        variant = default;
        if (!reader.TryCopyTo(buffer[..2])) return ParseStatus.Incomplete;
        ushort id = BinaryPrimitives.ReadUInt16LittleEndian(buffer);
        if (id == classicId) variant = HandoffVariant.Classic;
        else if (id == extendedId) variant = HandoffVariant.Extended;
        else return ParseStatus.UnknownId;
        return reader.TryCopyTo(buffer[..LengthOf(variant)]) ? ParseStatus.Complete : ParseStatus.Incomplete;
    }

    /// <summary>The address at offset 22, and for the extended variant an all-zero domain field.</summary>
    internal static bool TryReadTail(ReadOnlySpan<byte> packet, HandoffVariant variant, out ZoneServerAddress server)
    {
        server = default;
        if (variant == HandoffVariant.Extended && packet.Slice(ClassicLength, DomainLength).ContainsAnyExcept((byte)0)) return false;
        return ZoneServerAddress.TryRead(packet.Slice(AddressOffset, ZoneServerAddress.WireLength), out server);
    }
}
