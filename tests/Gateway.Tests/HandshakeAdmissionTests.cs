using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Tests;

/// <summary>
/// <c>coordinator.max_pending_handshakes</c> (4 in the fixture): a HELLO beyond it is refused with a plaintext
/// ServerBusy instead of a SERVER_HELLO, slots come back when handshakes end, and established sessions are untouched.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class HandshakeAdmissionTests(GatewayFixture fixture)
{
    [Fact]
    public async Task HelloBeyondThePendingHandshakesGetsPlaintextServerBusy()
    {
        await using var witness = await Witness.StartAsync(fixture);
        await Eventually.TrueAsync(() => fixture.Handshakes.Pending == 0, "handshakes of earlier tests still pending");
        long before = fixture.Metrics.Rejections(ProtocolError.ServerBusy);
        var held = new List<RawClient>();
        try
        {
            // Fill every slot with handshakes that stop after SERVER_HELLO (they time out after 1.5 s: be quick).
            for (int i = 0; i < GatewayFixture.MaxPendingHandshakes; i++)
            {
                var raw = await RawClient.ConnectAsync(fixture.Endpoint);
                held.Add(raw);
                await raw.HelloAsync(fixture.CoordinatorPublicKey);
            }
            Assert.Equal(GatewayFixture.MaxPendingHandshakes, fixture.Handshakes.Pending);

            await using var extra = await RawClient.ConnectAsync(fixture.Endpoint);
            using var handshake = new ClientHandshake(PeerRole.HostAgent, [fixture.CoordinatorPublicKey]);
            await extra.SendAsync(FrameCodec.ToArray(handshake.CreateHello()));
            // Plaintext where the SERVER_HELLO would have been: no key was made, nothing was signed.
            await extra.ExpectErrorThenCloseAsync(ProtocolError.ServerBusy);
        }
        finally
        {
            foreach (var client in held) await client.DisposeAsync();
        }
        Assert.Equal(before + 1, fixture.Metrics.Rejections(ProtocolError.ServerBusy));

        await Eventually.TrueAsync(() => fixture.Handshakes.Pending == 0, "slots not released when the handshakes were abandoned");
        using var identity = SigningIdentity.Generate();
        await using var host = await fixture.ConnectAsync(identity);
        Assert.Equal(HandshakeCrypto.HostId(identity.PublicKey), host.Welcome.Identity);
        await witness.AssertServedAsync();
    }

    [Fact]
    public async Task EstablishedSessionsAndSilentConnectionsHoldNoSlot()
    {
        await using var witness = await Witness.StartAsync(fixture);
        var silent = new List<RawClient>();
        var hosts = new List<P2PCluster.Client.CoordinatorConnection>();
        var identities = new List<SigningIdentity>();
        try
        {
            // Connections that have not sent HELLO yet cost no crypto and take no slot.
            for (int i = 0; i < GatewayFixture.MaxPendingHandshakes + 2; i++) silent.Add(await RawClient.ConnectAsync(fixture.Endpoint));
            // More registered hosts than there are slots, all kept open: each gave its slot back at WELCOME.
            for (int i = 0; i < GatewayFixture.MaxPendingHandshakes * 2; i++)
            {
                var identity = SigningIdentity.Generate();
                identities.Add(identity);
                hosts.Add(await fixture.ConnectAsync(identity));
            }
            Assert.Equal(0, fixture.Handshakes.Pending);
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync();
            foreach (var client in silent) await client.DisposeAsync();
            foreach (var identity in identities) identity.Dispose();
        }
        await witness.AssertServedAsync();
    }
}
