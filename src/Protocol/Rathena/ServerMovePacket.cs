using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol.Rathena;

/// <summary>
/// ZC_NPCACK_SERVERMOVE, map server → client when a warp crosses to another map server: reconnect to
/// <see cref="Server"/> and appear on <see cref="Map"/> at (<see cref="X"/>, <see cref="Y"/>). 0x0092 (28 bytes) or
/// 0x0AC7 (156 bytes); fixed length, no length field. Layout in docs/protocol.md.
/// </summary>
public readonly record struct ServerMovePacket(HandoffVariant Variant, string Map, ushort X, ushort Y, ZoneServerAddress Server)
{
    public const ushort ClassicId = 0x0092;
    public const ushort ExtendedId = 0x0AC7;

    private const int MapOffset = 2;
    private const int XOffset = 18;
    private const int YOffset = 20;

    public HandoffVariant Variant { get; } = RathenaHandoff.RequireVariant(Variant);
    public string Map { get; } = RathenaMapName.Require(Map, nameof(Map));
    public ushort X { get; } = RathenaHandoff.RequireCoordinate(X, nameof(X));
    public ushort Y { get; } = RathenaHandoff.RequireCoordinate(Y, nameof(Y));
    public ZoneServerAddress Server { get; } = RathenaHandoff.RequireSet(Server);

    public ushort Id => Variant == HandoffVariant.Extended ? ExtendedId : ClassicId;
    public int Length => RathenaHandoff.LengthOf(Variant);

    public void Write(IBufferWriter<byte> writer)
    {
        if (Map is null) throw new InvalidOperationException($"default({nameof(ServerMovePacket)}) has no map and no server");
        var d = RathenaHandoff.Begin(writer, Length, Id);
        RathenaMapName.Write(d.Slice(MapOffset, RathenaMapName.FieldLength), Map);
        BinaryPrimitives.WriteUInt16LittleEndian(d[XOffset..], X);
        BinaryPrimitives.WriteUInt16LittleEndian(d[YOffset..], Y);
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
    /// (not 0x0092/0x0AC7) or <see cref="ParseStatus.Malformed"/> (a field we would never write).
    /// </summary>
    public static ParseStatus TryRead(ref SequenceReader<byte> reader, out ServerMovePacket packet)
    {
        packet = default;
        Span<byte> p = stackalloc byte[RathenaHandoff.ExtendedLength];
        var status = RathenaHandoff.Peek(reader, ClassicId, ExtendedId, p, out var variant);
        if (status != ParseStatus.Complete) return status;
        ushort x = BinaryPrimitives.ReadUInt16LittleEndian(p[XOffset..]);
        ushort y = BinaryPrimitives.ReadUInt16LittleEndian(p[YOffset..]);
        if (x > RathenaHandoff.MaxCoordinate || y > RathenaHandoff.MaxCoordinate
            || !RathenaMapName.TryRead(p.Slice(MapOffset, RathenaMapName.FieldLength), out string map)
            || !RathenaHandoff.TryReadTail(p, variant, out var server))
            return ParseStatus.Malformed;
        packet = new ServerMovePacket(variant, map, x, y, server);
        reader.Advance(packet.Length);
        return ParseStatus.Complete;
    }
}
