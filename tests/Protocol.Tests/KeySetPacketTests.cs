using System.Buffers;

namespace P2PCluster.Protocol.Tests;

/// <summary>KEY_SET: signed by a coordinator key, verified only under a key the receiver trusts, hostile bodies refused.</summary>
public sealed class KeySetPacketTests
{
    private static readonly SigningIdentity Old = SigningIdentity.FromSeed(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private static readonly SigningIdentity Next = SigningIdentity.FromSeed(Enumerable.Range(32, 32).Select(i => (byte)i).ToArray());

    private static KeySetPacket Announcement() => new KeySetPacket(1764115200000,
        [new AnnouncedKey(Old.PublicKey, 1764000000000, 1764719960000, false), new AnnouncedKey(Next.PublicKey, 1764115260000, 0, false)],
        default, default).Sign(Old);

    private static Func<ReadOnlyMemory<byte>, byte[]?> Trusting(params SigningIdentity[] keys) =>
        id => keys.FirstOrDefault(k => k.KeyId.AsSpan().SequenceEqual(id.Span))?.PublicKey;

    private static KeySetPacket ReadBack(byte[] frame)
    {
        Assert.Equal(ParseStatus.Complete, FrameCodec.TryParse(new ReadOnlySequence<byte>(frame), 65535, out var parsed, out _));
        Assert.True(FrameCodec.TryRead(parsed, out KeySetPacket packet));
        return packet;
    }

    [Fact]
    public void SignedAnnouncementVerifiesUnderTheSignersKeyOnlyAfterARoundTrip()
    {
        var read = ReadBack(FrameCodec.ToArray(Announcement()));
        Assert.Equal(Old.KeyId, read.SignerKeyId.ToArray());
        Assert.True(read.Verify(Trusting(Old)));
        Assert.False(read.Verify(Trusting(Next))); // a signer the receiver does not trust
        Assert.Equal(Next.PublicKey, read.Keys[1].PublicKey.ToArray());
    }

    [Fact]
    public void EveryFlippedByteBreaksTheSignatureOrTheParse()
    {
        byte[] frame = FrameCodec.ToArray(Announcement());
        for (int at = ProtocolLimits.HeaderLength; at < frame.Length; at++)
        {
            byte[] altered = (byte[])frame.Clone();
            altered[at] ^= 0x01;
            Assert.Equal(ParseStatus.Complete, FrameCodec.TryParse(new ReadOnlySequence<byte>(altered), 65535, out var parsed, out _));
            Assert.False(FrameCodec.TryRead(parsed, out KeySetPacket packet) && packet.Verify(Trusting(Old, Next)), $"byte {at} flipped still verifies");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(KeySetPacket.MaxKeys + 1)]
    public void KeyCountOutsideOneToSixteenIsMalformed(int count)
    {
        byte[] frame = FrameCodec.ToArray(Announcement());
        frame[ProtocolLimits.HeaderLength + 8] = (byte)count;
        Assert.Equal(ParseStatus.Complete, FrameCodec.TryParse(new ReadOnlySequence<byte>(frame), 65535, out var parsed, out _));
        Assert.False(FrameCodec.TryRead(parsed, out KeySetPacket _));
        Assert.Throws<ArgumentException>(() => FrameCodec.ToArray(new KeySetPacket(1, [], Old.KeyId, new byte[64])));
    }

    [Fact]
    public void UnknownFlagBitsAreMalformed()
    {
        byte[] frame = FrameCodec.ToArray(Announcement());
        frame[ProtocolLimits.HeaderLength + 9 + AnnouncedKey.WireLength - 1] = 0x02;
        Assert.Equal(ParseStatus.Complete, FrameCodec.TryParse(new ReadOnlySequence<byte>(frame), 65535, out var parsed, out _));
        Assert.False(FrameCodec.TryRead(parsed, out KeySetPacket _));
    }

    [Fact]
    public void RevokedAndRetiredKeysAreNotTrusted()
    {
        Assert.True(new AnnouncedKey(Old.PublicKey, 0, 0, false).TrustedAt(long.MaxValue));
        Assert.True(new AnnouncedKey(Old.PublicKey, 0, 2000, false).TrustedAt(1999));
        Assert.False(new AnnouncedKey(Old.PublicKey, 0, 2000, false).TrustedAt(2000));
        Assert.False(new AnnouncedKey(Old.PublicKey, 0, 0, true).TrustedAt(0));
    }
}
