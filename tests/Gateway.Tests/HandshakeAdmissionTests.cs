using System.Diagnostics;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Gateway.Tests;

/// <summary>
/// <c>coordinator.max_pending_handshakes</c> (4 in the fixture): a HELLO beyond it waits its turn for up to half the
/// handshake deadline (750 ms here) and is then refused with a plaintext ServerBusy instead of a SERVER_HELLO; slots
/// come back when handshakes end, and established sessions are untouched.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class HandshakeAdmissionTests(GatewayFixture fixture)
{
    [Fact]
    public async Task HelloBeyondTheLimitWaitsItsTurnAndGoesOnWhenASlotFrees()
    {
        await using var witness = await Witness.StartAsync(fixture);
        var held = await HoldEverySlotAsync();
        try
        {
            await using var waiting = await RawClient.ConnectAsync(fixture.Endpoint);
            var hello = waiting.HelloAsync(fixture.CoordinatorPublicKey);
            await Eventually.TrueAsync(() => fixture.Handshakes.Waiting == 1, "the HELLO is not waiting for a slot");
            Assert.False(hello.IsCompleted);

            await held[0].DisposeAsync();
            await hello; // SERVER_HELLO, checked against the pinned key
            Assert.Equal(GatewayFixture.MaxPendingHandshakes, fixture.Handshakes.Pending);
        }
        finally
        {
            foreach (var client in held) await client.DisposeAsync();
        }
        await witness.AssertServedAsync();
    }

    [Fact]
    public async Task HelloThatFindsNoSlotInTimeGetsPlaintextServerBusyAndLaterOnesAreServed()
    {
        await using var witness = await Witness.StartAsync(fixture);
        long before = fixture.Metrics.Rejections(ProtocolError.ServerBusy);
        var started = Stopwatch.StartNew();
        var held = await HoldEverySlotAsync();
        try
        {
            await using var extra = await RawClient.ConnectAsync(fixture.Endpoint);
            using var handshake = new ClientHandshake(PeerRole.HostAgent, [fixture.CoordinatorPublicKey]);
            await extra.SendAsync(FrameCodec.ToArray(handshake.CreateHello()));
            // Plaintext where the SERVER_HELLO would have been: no key was made, nothing was signed.
            await extra.ExpectErrorThenCloseAsync(ProtocolError.ServerBusy);
            // Had the held handshakes reached their own deadline first, their slots would have gone to the extra HELLO.
            Assert.True(started.ElapsedMilliseconds < GatewayFixture.HandshakeTimeoutMs,
                $"the machine is too slow for this test: {started.ElapsedMilliseconds} ms to fill the slots and be refused");
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
            Assert.Equal(0, fixture.Handshakes.Waiting);
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync();
            foreach (var client in silent) await client.DisposeAsync();
            foreach (var identity in identities) identity.Dispose();
        }
        await witness.AssertServedAsync();
    }

    /// <summary>Fills every slot with handshakes stopped after SERVER_HELLO (they reach their deadline after 1.5 s: be quick).</summary>
    private async Task<List<RawClient>> HoldEverySlotAsync()
    {
        await Eventually.TrueAsync(() => fixture.Handshakes.Pending == 0, "handshakes of earlier tests still pending");
        var held = new List<RawClient>();
        for (int i = 0; i < GatewayFixture.MaxPendingHandshakes; i++)
        {
            var raw = await RawClient.ConnectAsync(fixture.Endpoint);
            held.Add(raw);
            await raw.HelloAsync(fixture.CoordinatorPublicKey);
        }
        Assert.Equal(GatewayFixture.MaxPendingHandshakes, fixture.Handshakes.Pending);
        return held;
    }
}
