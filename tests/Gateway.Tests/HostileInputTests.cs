using System.Buffers.Binary;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Gateway.Tests;

/// <summary>
/// Every bad input of the protocol against the real gateway over real sockets: each gets its documented outcome and
/// is counted, while a well-behaved client keeps being served.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class HostileInputTests(GatewayFixture fixture)
{
    private async Task ExpectAsync(ProtocolError code, Func<RawClient, Task> attack, bool errorPacket = true)
    {
        await using var witness = await Witness.StartAsync(fixture);
        long before = fixture.Metrics.Rejections(code);
        await using (var raw = await RawClient.ConnectAsync(fixture.Endpoint))
        {
            await attack(raw);
            if (errorPacket) await raw.ExpectErrorThenCloseAsync(code);
            else await raw.ExpectClosedAsync();
        }
        await Eventually.TrueAsync(() => fixture.Metrics.Rejections(code) > before, $"{code} was not counted");
        await witness.AssertServedAsync();
    }

    [Fact]
    public Task GarbageIsAnUnknownPacket() =>
        ExpectAsync(ProtocolError.UnknownPacket, raw => raw.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray()));

    [Fact]
    public Task UnknownIdIsRejectedFromItsHeader() =>
        ExpectAsync(ProtocolError.UnknownPacket, raw => raw.SendAsync([0x34, 0x12, 0x08, 0x00]));

    [Fact]
    public Task OversizeLengthIsRejectedBeforeItsBodyArrives() =>
        ExpectAsync(ProtocolError.FrameTooLarge, raw => raw.SendAsync([0x00, 0x50, 0x60, 0xEA])); // HELLO claiming 60000 bytes, none sent

    [Fact]
    public Task LengthBelowTheHeaderIsMalformed() =>
        ExpectAsync(ProtocolError.Malformed, raw => raw.SendAsync([0x00, 0x50, 0x02, 0x00]));

    [Fact]
    public Task MalformedHelloBodyIsRejected() =>
        ExpectAsync(ProtocolError.Malformed, raw => raw.SendAsync([0x00, 0x50, 0x06, 0x00, 0x01, 0x00]));

    [Fact]
    public Task FrameBeforeTheHandshakeIsUnexpected() =>
        ExpectAsync(ProtocolError.UnexpectedPacket, raw => raw.SendAsync(FrameCodec.ToArray(new PingPacket(1, 0))));

    [Fact]
    public Task TruncatedFrameIsCountedAndClosed() =>
        ExpectAsync(ProtocolError.Truncated, async raw =>
        {
            var hello = FrameCodec.ToArray(new HelloPacket(1, 1, PeerRole.GameClient, 1, new byte[32]));
            await raw.SendAsync(hello[..20]);
            raw.ShutdownSend();
        }, errorPacket: false);

    [Fact]
    public Task SlowHandshakeTimesOut() =>
        ExpectAsync(ProtocolError.HandshakeTimeout, raw => raw.SendAsync([0x00, 0x50])); // half a header, then nothing

    [Fact]
    public Task UnsupportedVersionIsRefused() =>
        ExpectAsync(ProtocolError.UnsupportedVersion, raw => raw.SendAsync(FrameCodec.ToArray(new HelloPacket(2, 3, PeerRole.GameClient, 1, new byte[32]))));

    [Fact]
    public Task ClientWithoutEncryptionIsRefused() =>
        ExpectAsync(ProtocolError.EncryptionRequired, raw => raw.SendAsync(FrameCodec.ToArray(new HelloPacket(1, 1, PeerRole.GameClient, 0, new byte[32]))));

    [Fact]
    public Task BadAeadTagFailsDecryption() =>
        ExpectAsync(ProtocolError.DecryptFailed, async raw =>
        {
            await raw.HelloAsync(fixture.CoordinatorPublicKey);
            var identify = raw.Seal(raw.Identify(null));
            identify[^1] ^= 0x01;
            await raw.SendAsync(identify);
        });

    [Fact]
    public Task ReplayedFrameFailsDecryption() =>
        ExpectAsync(ProtocolError.DecryptFailed, async raw =>
        {
            await raw.HandshakeAsync(fixture.CoordinatorPublicKey, null);
            var ping = raw.Seal(new PingPacket(1, 0));
            await raw.SendAsync(ping);
            Assert.True(RawClient.Parse(await raw.ReadFrameAsync(TimeSpan.FromSeconds(5)) ?? [], out PongPacket _));
            await raw.SendAsync(ping);
        });

    [Fact]
    public Task ReorderedFramesFailDecryption() =>
        ExpectAsync(ProtocolError.DecryptFailed, async raw =>
        {
            await raw.HandshakeAsync(fixture.CoordinatorPublicKey, null);
            var first = raw.Seal(new PingPacket(1, 0));
            var second = raw.Seal(new PingPacket(2, 0));
            await raw.SendAsync(second);
            _ = first;
        });

    [Fact]
    public Task PlainFrameOnAnEncryptedSessionIsUnexpected() =>
        ExpectAsync(ProtocolError.UnexpectedPacket, async raw =>
        {
            await raw.HandshakeAsync(fixture.CoordinatorPublicKey, null);
            await raw.SendAsync(FrameCodec.ToArray(new PingPacket(1, 0)));
        });

    [Fact]
    public Task WrongHostSignatureIsRejected() =>
        ExpectAsync(ProtocolError.BadSignature, async raw =>
        {
            using var host = SigningIdentity.Generate();
            using var thief = SigningIdentity.Generate();
            await raw.HelloAsync(fixture.CoordinatorPublicKey);
            var honest = raw.Identify(host);
            var forged = honest with { Signature = thief.Sign(new byte[64]) }; // claims host's key, cannot sign for it
            await raw.SendAsync(raw.Seal(forged));
        });

    [Fact]
    public Task AnonymousHostAgentIsRejected() =>
        ExpectAsync(ProtocolError.IdentityRejected, async raw =>
        {
            await raw.HelloAsync(fixture.CoordinatorPublicKey, PeerRole.HostAgent);
            await raw.SendAsync(raw.Seal(raw.Identify(null)));
        });

    [Fact]
    public Task OversizeSealedFrameAfterTheHandshakeIsRejected() =>
        ExpectAsync(ProtocolError.FrameTooLarge, async raw =>
        {
            await raw.HandshakeAsync(fixture.CoordinatorPublicKey, null);
            var header = new byte[4];
            BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)PacketId.Sealed);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), 1024 + 21); // one byte over max_frame_size + sealing
            await raw.SendAsync(header);
        });

    [Fact]
    public Task FloodIsRateLimited() =>
        ExpectAsync(ProtocolError.RateLimited, async raw =>
        {
            await raw.HandshakeAsync(fixture.CoordinatorPublicKey, null);
            var burst = Enumerable.Range(0, GatewayFixture.MaxFramesPerSecond * 3).SelectMany(i => raw.Seal(new PingPacket((ulong)i, 0))).ToArray();
            await raw.SendAsync(burst);
            // Skip the pongs answered before the limit hit; then comes the error (and the close, checked by the caller).
            bool limited = false;
            while (!limited && await raw.ReadFrameAsync(TimeSpan.FromSeconds(10)) is { } frame)
            {
                if (RawClient.Parse(frame, out ErrorPacket error))
                {
                    Assert.Equal(ProtocolError.RateLimited, error.Code);
                    limited = true;
                }
            }
            Assert.True(limited, "no RateLimited error before the close");
        }, errorPacket: false);

    [Fact]
    public async Task ConnectionsOverTheLimitGetServerBusy()
    {
        await using var witness = await Witness.StartAsync(fixture);
        long before = fixture.Metrics.Rejections(ProtocolError.ServerBusy);
        var held = new List<RawClient>();
        try
        {
            // Fill every free slot with connections that say nothing (they would time out after 1.5 s: be quick).
            long free = GatewayFixture.MaxConnections - fixture.Metrics.ActiveConnections;
            for (long i = 0; i < free; i++) held.Add(await RawClient.ConnectAsync(fixture.Endpoint));
            await Eventually.TrueAsync(() => fixture.Metrics.ActiveConnections >= GatewayFixture.MaxConnections, "slots not filled");
            await using var extra = await RawClient.ConnectAsync(fixture.Endpoint);
            await extra.ExpectErrorThenCloseAsync(ProtocolError.ServerBusy);
        }
        finally
        {
            foreach (var client in held) await client.DisposeAsync();
        }
        Assert.True(fixture.Metrics.Rejections(ProtocolError.ServerBusy) > before);
        await Eventually.TrueAsync(() => fixture.Metrics.ActiveConnections < GatewayFixture.MaxConnections / 2, "slots not released");
        await witness.AssertServedAsync();
    }
}
