using System.Buffers;

namespace P2PCluster.Protocol.Tests;

/// <summary>The player packets' value rules, beyond what the round-trip matrix covers.</summary>
public sealed class PlayerPacketTests
{
    private static bool Reads<T>(byte[] body) where T : IPacket<T> => T.TryRead(new ReadOnlySequence<byte>(body), out _);

    private static byte[] Body<T>(T packet) where T : IPacket<T> => FrameCodec.ToArray(packet)[ProtocolLimits.HeaderLength..];

    [Fact]
    public void LoginLimitsAreEnforcedBothWays()
    {
        Assert.Throws<ArgumentException>(() => FrameCodec.ToArray(new LoginPacket("", "pw")));
        Assert.Throws<ArgumentException>(() => FrameCodec.ToArray(new LoginPacket(new string('u', 24), "pw")));
        var tooLong = Assert.Throws<ArgumentException>(() => FrameCodec.ToArray(new LoginPacket("user", new string('p', 33))));
        Assert.DoesNotContain(new string('p', 33), tooLong.Message); // an error message must not quote the password
        Assert.False(Reads<LoginPacket>([4, (byte)'u', (byte)'s', (byte)'e', (byte)'r', 0])); // empty password
        Assert.False(Reads<LoginPacket>([0, 2, (byte)'p', (byte)'w'])); // empty user id
        Assert.False(Reads<LoginPacket>([2, (byte)'u', 0xC3, 2, (byte)'p', (byte)'w'])); // non-ASCII user id
        Assert.False(Reads<LoginPacket>([2, (byte)'u', (byte)'v', 2, 0xC3, 0x28])); // invalid UTF-8 password
        Assert.DoesNotContain("secret", new LoginPacket("user", "secret").ToString());
    }

    [Fact]
    public void ZeroIdsAndInconsistentClaimResultsAreMalformed()
    {
        var resolve = Body(new ResolvePacket(1, 1, "prontera"));
        resolve[4] = 0; // char id 1 → 0
        Assert.False(Reads<ResolvePacket>(resolve));
        Assert.False(Reads<ClaimResultPacket>(Body(new ClaimResultPacket(1, 5, ProtocolError.None, 0))));
        Assert.False(Reads<ClaimResultPacket>(Body(new ClaimResultPacket(1, 5, ProtocolError.ClusterBase + 13, 77))));
        Assert.False(Reads<RefusedPacket>(Body(new RefusedPacket(1, ProtocolError.None, "no code"))));
        var entered = Body(new EnteredPacket(1, 2, "prontera", 3));
        entered.AsSpan(entered.Length - CharacterState.Size - 8, 8).Clear(); // epoch 3 → 0
        Assert.False(Reads<EnteredPacket>(entered));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no/such/map")]
    [InlineData("twelve_chars")]
    [InlineData("map name")]
    public void AWarpToSomethingThatIsNotAMapNameIsMalformed(string toMap)
    {
        // The host would forward it to the coordinator, which closes the host's session for a malformed name:
        // a player must not be able to knock its host off the cluster. The map instance refuses it instead.
        Assert.False(Reads<WarpRequestPacket>(Body(new WarpRequestPacket(toMap, default))));
        Assert.True(Reads<WarpRequestPacket>(Body(new WarpRequestPacket("1@tower", default))));
    }

    [Fact]
    public void TicketsLongerThanAnyValidTicketAreMalformed()
    {
        var tooLong = new byte[Ticket.MaxLength + 1];
        Assert.Throws<ArgumentException>(() => FrameCodec.ToArray(new EnterPacket(tooLong)));
        var body = new byte[2 + tooLong.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(body, (ushort)tooLong.Length);
        Assert.False(Reads<EnterPacket>(body));
        Assert.Throws<ArgumentException>(() => FrameCodec.ToArray(new ClaimTicketPacket(1, 2, "prontera", 3, new byte[8])));
    }

    [Fact]
    public void RefusedMessagesAreClippedOnACharacterBoundary()
    {
        var packet = new RefusedPacket(7, ProtocolError.ClusterBase + 12, new string('é', 200)); // 400 UTF-8 bytes
        Assert.True(FrameCodec.TryRead(Parse(FrameCodec.ToArray(packet)), out RefusedPacket read));
        Assert.Equal(new string('é', 127), read.Message);
    }

    private static Frame Parse(byte[] bytes)
    {
        Assert.Equal(ParseStatus.Complete, FrameCodec.TryParse(new ReadOnlySequence<byte>(bytes), 65535, out var frame, out _));
        return frame;
    }
}
