using System.Buffers;
using P2PCluster.Protocol.Rathena;

namespace P2PCluster.Protocol.Tests.Rathena;

public sealed class HandoffCodecTests
{
    private delegate ParseStatus Reader<T>(ref SequenceReader<byte> reader, out T packet);

    public static TheoryData<string> VectorNames => new(HandoffVectors.ByDocName.Keys);

    [Fact]
    public void WrittenBytesMatchTheHandWrittenLayouts()
    {
        Assert.Equal(HandoffVectors.ZoneClassicHex, Hex(HandoffVectors.ZoneClassic.ToArray()));
        Assert.Equal(HandoffVectors.ZoneExtendedHex, Hex(HandoffVectors.ZoneExtended.ToArray()));
        Assert.Equal(HandoffVectors.MoveClassicHex, Hex(HandoffVectors.MoveClassic.ToArray()));
        Assert.Equal(HandoffVectors.MoveExtendedHex, Hex(HandoffVectors.MoveExtended.ToArray()));
    }

    [Fact]
    public void LengthsAndIdsAreRathenas()
    {
        Assert.Equal((0x0071, 28), ((int)HandoffVectors.ZoneClassic.Id, HandoffVectors.ZoneClassic.ToArray().Length));
        Assert.Equal((0x0AC5, 156), ((int)HandoffVectors.ZoneExtended.Id, HandoffVectors.ZoneExtended.ToArray().Length));
        Assert.Equal((0x0092, 28), ((int)HandoffVectors.MoveClassic.Id, HandoffVectors.MoveClassic.ToArray().Length));
        Assert.Equal((0x0AC7, 156), ((int)HandoffVectors.MoveExtended.Id, HandoffVectors.MoveExtended.ToArray().Length));
    }

    [Fact]
    public void HandWrittenBytesReadAsTheirRecords()
    {
        Assert.Equal(HandoffVectors.ZoneClassic, ReadWhole<NotifyZoneServerPacket>(NotifyZoneServerPacket.TryRead, HandoffVectors.ZoneClassicHex));
        Assert.Equal(HandoffVectors.ZoneExtended, ReadWhole<NotifyZoneServerPacket>(NotifyZoneServerPacket.TryRead, HandoffVectors.ZoneExtendedHex));
        Assert.Equal(HandoffVectors.MoveClassic, ReadWhole<ServerMovePacket>(ServerMovePacket.TryRead, HandoffVectors.MoveClassicHex));
        Assert.Equal(HandoffVectors.MoveExtended, ReadWhole<ServerMovePacket>(ServerMovePacket.TryRead, HandoffVectors.MoveExtendedHex));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void EverySplitPointReadsTheSamePacket(string name)
    {
        var bytes = Convert.FromHexString(HandoffVectors.ByDocName[name]);
        object expected = ReadAny(new ReadOnlySequence<byte>(bytes));
        for (int cut = 1; cut < bytes.Length; cut++)
            Assert.Equal(expected, ReadAny(Sequences.Split(bytes, cut)));
        for (int cut = 1; cut + 7 < bytes.Length; cut++)
            Assert.Equal(expected, ReadAny(Sequences.Split(bytes, cut, cut + 1, cut + 7)));
        Assert.Equal(expected, ReadAny(Sequences.Bytewise(bytes)));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void EveryPrefixIsIncompleteAndConsumesNothing(string name)
    {
        var bytes = Convert.FromHexString(HandoffVectors.ByDocName[name]);
        for (int length = 0; length < bytes.Length; length++)
        {
            var reader = new SequenceReader<byte>(Sequences.Bytewise(bytes.AsMemory(0, length)));
            var status = name.StartsWith("hc_", StringComparison.Ordinal)
                ? NotifyZoneServerPacket.TryRead(ref reader, out _)
                : ServerMovePacket.TryRead(ref reader, out _);
            Assert.Equal(ParseStatus.Incomplete, status);
            Assert.Equal(0, reader.Consumed);
        }
    }

    [Fact]
    public void PacketsBackToBackAreReadOneAfterTheOther()
    {
        var writer = new ArrayBufferWriter<byte>();
        HandoffVectors.ZoneExtended.Write(writer);
        HandoffVectors.ZoneClassic.Write(writer);
        HandoffVectors.MoveClassic.Write(writer);
        var bytes = writer.WrittenMemory;
        var reader = new SequenceReader<byte>(Sequences.Split(bytes, 27, 29, 156, 170, 184));

        Assert.Equal(ParseStatus.Complete, NotifyZoneServerPacket.TryRead(ref reader, out var first));
        Assert.Equal(156, reader.Consumed);
        Assert.Equal(ParseStatus.Complete, NotifyZoneServerPacket.TryRead(ref reader, out var second));
        Assert.Equal(ParseStatus.UnknownId, NotifyZoneServerPacket.TryRead(ref reader, out _));
        Assert.Equal(156 + 28, reader.Consumed);
        Assert.Equal(ParseStatus.Complete, ServerMovePacket.TryRead(ref reader, out var third));
        Assert.True(reader.End);
        Assert.Equal((HandoffVectors.ZoneExtended, HandoffVectors.ZoneClassic, HandoffVectors.MoveClassic), (first, second, third));
    }

    [Fact]
    public void WritingZeroesStaleWriterMemory()
    {
        var writer = new StaleBufferWriter();
        HandoffVectors.MoveExtended.Write(writer);
        HandoffVectors.ZoneClassic.Write(writer);
        Assert.Equal(HandoffVectors.MoveExtendedHex + HandoffVectors.ZoneClassicHex, Hex(writer.Written));
    }

    [Theory]
    [InlineData("hc_notify_zonesvr_0071", "9200")]  // ZC_NPCACK_SERVERMOVE is not HC_NOTIFY_ZONESVR
    [InlineData("hc_notify_zonesvr_0071", "7200")]  // CZ_ENTER
    [InlineData("zc_npcack_servermove_0092", "7100")]
    [InlineData("zc_npcack_servermove_0092", "0550")] // our own PING frame
    [InlineData("zc_npcack_servermove_0ac7", "c50a")]
    public void AWrongIdIsUnknownAndConsumesNothing(string name, string idHex)
    {
        var bytes = Convert.FromHexString(idHex + HandoffVectors.ByDocName[name][4..]);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var status = name.StartsWith("hc_", StringComparison.Ordinal)
            ? NotifyZoneServerPacket.TryRead(ref reader, out _)
            : ServerMovePacket.TryRead(ref reader, out _);
        Assert.Equal(ParseStatus.UnknownId, status);
        Assert.Equal(0, reader.Consumed);
    }

    [Fact]
    public void AnExtendedIdWithOnlyClassicBytesIsIncomplete()
    {
        var bytes = Convert.FromHexString(HandoffVectors.ZoneExtendedHex[..56]);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        Assert.Equal(ParseStatus.Incomplete, NotifyZoneServerPacket.TryRead(ref reader, out _));
    }

    public static TheoryData<string, int, string> Corruptions => new()
    {
        // packet, offset, bytes written there
        { "hc_notify_zonesvr_0071", 6, "70726f6e7465726100000000" },  // "prontera" without ".gat"
        { "hc_notify_zonesvr_0071", 6, "2e676174" + "0000000000000000" },  // ".gat" alone: empty name
        { "hc_notify_zonesvr_0071", 6, "70f8" },                      // non-ASCII in the name
        { "hc_notify_zonesvr_0071", 6, "7020" },                      // space in the name
        { "hc_notify_zonesvr_0071", 6, "3123" },                      // "1#ontera.gat": '#'
        { "hc_notify_zonesvr_0071", 6, "70726f6e746572612e4741" },    // ".GAT": rAthena writes ".gat"
        { "hc_notify_zonesvr_0071", 21, "41" },                       // garbage after the terminating NUL
        { "hc_notify_zonesvr_0071", 18, "41414141" },                 // 16 bytes, no NUL
        { "hc_notify_zonesvr_0071", 22, "00000000" },                 // 0.0.0.0
        { "hc_notify_zonesvr_0071", 22, "e0000001" },                 // 224.0.0.1, multicast
        { "hc_notify_zonesvr_0071", 22, "ffffffff" },                 // broadcast
        { "hc_notify_zonesvr_0071", 26, "0000" },                     // port 0
        { "hc_notify_zonesvr_0ac5", 28, "61" },                       // a domain: we never send one
        { "hc_notify_zonesvr_0ac5", 155, "01" },
        { "zc_npcack_servermove_0092", 18, "0004" },                  // x 1024
        { "zc_npcack_servermove_0092", 20, "ffff" },                  // y 65535
        { "zc_npcack_servermove_0092", 2, "79756e6f5f66696c643031322e676174" }, // 12-character name, no NUL
        { "zc_npcack_servermove_0ac7", 26, "0000" },
        { "zc_npcack_servermove_0ac7", 100, "ff" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void FieldsWeWouldNeverWriteAreMalformed(string name, int offset, string patchHex)
    {
        var bytes = Convert.FromHexString(HandoffVectors.ByDocName[name]);
        Convert.FromHexString(patchHex).CopyTo(bytes, offset);
        var reader = new SequenceReader<byte>(Sequences.Bytewise(bytes));
        var status = name.StartsWith("hc_", StringComparison.Ordinal)
            ? NotifyZoneServerPacket.TryRead(ref reader, out _)
            : ServerMovePacket.TryRead(ref reader, out _);
        Assert.Equal(ParseStatus.Malformed, status);
        Assert.Equal(0, reader.Consumed);
    }

    private static object ReadAny(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (NotifyZoneServerPacket.TryRead(ref reader, out var zone) == ParseStatus.Complete)
        {
            Assert.True(reader.End);
            return zone;
        }
        Assert.Equal(ParseStatus.Complete, ServerMovePacket.TryRead(ref reader, out var move));
        Assert.True(reader.End);
        return move;
    }

    private static T ReadWhole<T>(Reader<T> read, string hex)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Convert.FromHexString(hex)));
        Assert.Equal(ParseStatus.Complete, read(ref reader, out T packet));
        Assert.True(reader.End);
        return packet;
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Hands out memory full of 0xFF, as a pooled writer may: padding must not depend on the writer zeroing.</summary>
    private sealed class StaleBufferWriter : IBufferWriter<byte>
    {
        private readonly byte[] _buffer = Enumerable.Repeat((byte)0xFF, 1024).ToArray();
        private int _written;

        public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _written);

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.AsMemory(_written);

        public Span<byte> GetSpan(int sizeHint = 0) => _buffer.AsSpan(_written);
    }
}
