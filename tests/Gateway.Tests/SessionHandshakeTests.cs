using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Gateway.Tests;

/// <summary>
/// <see cref="SessionHandshake"/> against the real gateway over real sockets: what it accepts after HELLO, the checks
/// a host agent's IDENTIFY must pass, the role it decides, and the handshake slot it gives back either way.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SessionHandshakeTests(GatewayFixture fixture)
{
    [Fact]
    public async Task APacketOtherThanIdentifyAfterHelloIsUnexpectedAndItsSlotIsGivenBack()
    {
        int pending = fixture.Handshakes.Pending;
        long before = fixture.Metrics.Rejections(ProtocolError.UnexpectedPacket);
        await using (var raw = await RawClient.ConnectAsync(fixture.Endpoint))
        {
            await raw.HelloAsync(fixture.CoordinatorPublicKey, PeerRole.GameClient);
            await raw.SendAsync(raw.Seal(new PingPacket(1, 0)));
            await raw.ExpectErrorThenCloseAsync(ProtocolError.UnexpectedPacket);
        }
        Assert.Equal(before + 1, fixture.Metrics.Rejections(ProtocolError.UnexpectedPacket));
        await Eventually.TrueAsync(() => fixture.Handshakes.Pending == pending, "the refused handshake kept its slot");
    }

    [Fact]
    public async Task AHostAgentOfAnUnknownKindIsMalformed()
    {
        using var host = SigningIdentity.Generate();
        await using var raw = await RawClient.ConnectAsync(fixture.Endpoint);
        await raw.HelloAsync(fixture.CoordinatorPublicKey, PeerRole.HostAgent);
        await raw.SendAsync(raw.Seal(raw.Identify(host, hostKind: (byte)HostKind.Vps + 1)));
        await raw.ExpectErrorThenCloseAsync(ProtocolError.Malformed);
    }

    [Fact]
    public async Task AGameClientIsWelcomedAnonymouslyAsAGuestThatMayLogIn()
    {
        int pending = fixture.Handshakes.Pending;
        await using var raw = await RawClient.ConnectAsync(fixture.Endpoint);
        var welcome = await raw.HandshakeAsync(fixture.CoordinatorPublicKey, null);
        Assert.Equal("", welcome.Identity);
        Assert.Equal(pending, fixture.Handshakes.Pending); // WELCOME is out: the slot went back first

        // A guest's one packet is LOGIN; a RESOLVE is a player's, so it is not valid here.
        await raw.SendAsync(raw.Seal(new ResolvePacket(1, 1, "prontera")));
        await raw.ExpectErrorThenCloseAsync(ProtocolError.UnexpectedPacket);
    }
}
