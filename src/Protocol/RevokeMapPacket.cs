using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>
/// 0x5104 REVOKE_MAP, coordinator → host: the host no longer owns <see cref="Map"/> under <see cref="Epoch"/> (or any
/// older epoch): stop the instance, admit nobody, write nothing for it.
/// </summary>
public readonly record struct RevokeMapPacket(string Map, ulong Epoch, RevokeReason Reason) : IPacket<RevokeMapPacket>
{
    public static PacketId Id => PacketId.RevokeMap;
    public int BodyLength => WireText.Size(Map) + 9;

    public void WriteBody(Span<byte> d)
    {
        int offset = WireText.Write(d, Map);
        BinaryPrimitives.WriteUInt64LittleEndian(d[offset..], Epoch);
        d[offset + 8] = (byte)Reason;
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out RevokeMapPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!WireText.TryRead(ref r, out string map) || !r.TryReadU64(out ulong epoch) || !r.TryReadU8(out byte reason) || !r.End
            || !Enum.IsDefined((RevokeReason)reason))
            return false;
        packet = new RevokeMapPacket(map, epoch, (RevokeReason)reason);
        return true;
    }
}

/// <summary>Why a map was taken away from a host.</summary>
public enum RevokeReason : byte
{
    /// <summary>The map was given to another host (the host was declared dead, overloaded or drained).</summary>
    Reassigned = 0,
    /// <summary>The host reported an epoch that is not current: it was deposed while away.</summary>
    StaleEpoch = 1,
    Rebalanced = 2,
    Drained = 3,
    Disabled = 4,
}
