using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol.Rathena;

/// <summary>
/// HC_NOTIFY_ZONESVR, char server → client after character select: connect to <see cref="Server"/> to play
/// <see cref="Map"/>. 0x0071 (28 bytes) or 0x0AC5 (156 bytes); fixed length, no length field. Layout in docs/protocol.md.
/// </summary>
public readonly record struct NotifyZoneServerPacket(HandoffVariant Variant, uint CharId, string Map, ZoneServerAddress Server)
{
    public const ushort ClassicId = 0x0071;
    public const ushort ExtendedId = 0x0AC5;

    private const int MapOffset = 6;

    public HandoffVariant Variant { get; } = RathenaHandoff.RequireVariant(Variant);
    public string Map { get; } = RathenaMapName.Require(Map, nameof(Map));
    public ZoneServerAddress Server { get; } = RathenaHandoff.RequireSet(Server);

    public ushort Id => Variant == HandoffVariant.Extended ? ExtendedId : ClassicId;
    public int Length => RathenaHandoff.LengthOf(Variant);

    public void Write(IBufferWriter<byte> writer)
    {
        if (Map is null) throw new InvalidOperationException($"default({nameof(NotifyZoneServerPacket)}) has no map and no server");
        var d = RathenaHandoff.Begin(writer, Length, Id);
        BinaryPrimitives.WriteUInt32LittleEndian(d[2..], CharId);
        RathenaMapName.Write(d.Slice(MapOffset, RathenaMapName.FieldLength), Map);
        Server.Write(d.Slice(RathenaHandoff.AddressOffset, ZoneServerAddress.WireLength));
        writer.Advance(Length);
    }

    public byte[] ToArray()
    {
        var writer = new ArrayBufferWriter<byte>(RathenaHandoff.ExtendedLength);
        Write(writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads one packet at the reader's position. Only <see cref="ParseStatus.Complete"/> advances the reader, past
    /// exactly this packet; otherwise it is <see cref="ParseStatus.Incomplete"/> (read more), <see cref="ParseStatus.UnknownId"/>
    /// (not 0x0071/0x0AC5) or <see cref="ParseStatus.Malformed"/> (a field we would never write).
    /// </summary>
    public static ParseStatus TryRead(ref SequenceReader<byte> reader, out NotifyZoneServerPacket packet)
    {
        packet = default;
        Span<byte> p = stackalloc byte[RathenaHandoff.ExtendedLength];
        var status = RathenaHandoff.Peek(reader, ClassicId, ExtendedId, p, out var variant);
        if (status != ParseStatus.Complete) return status;
        if (!RathenaMapName.TryRead(p.Slice(MapOffset, RathenaMapName.FieldLength), out string map)
            || !RathenaHandoff.TryReadTail(p, variant, out var server))
            return ParseStatus.Malformed;
        packet = new NotifyZoneServerPacket(variant, BinaryPrimitives.ReadUInt32LittleEndian(p[2..]), map, server);
        reader.Advance(packet.Length);
        return ParseStatus.Complete;
    }
}
