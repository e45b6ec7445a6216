using P2PCluster.Client;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class GatewaySessionTests(GatewayFixture fixture)
{
    [Fact]
    public async Task AnonymousClientCompletesTheEncryptedHandshakeAndPings()
    {
        await using var client = await fixture.ConnectAsync();
        Assert.True(client.Encrypted);
        Assert.Equal("", client.Welcome.Identity);
        Assert.Equal(1024, client.Welcome.MaxFrame);
        var local = await client.PingAsync();
        var deep = await client.PingAsync(throughCluster: true);
        Assert.Equal(0, local.Flags);
        Assert.Equal(PingPacket.ThroughCluster, deep.Flags);
        Assert.InRange(deep.ServerTimeMs, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task PipelinedPingsOfOneWriteAreAnsweredInOrder()
    {
        await using var raw = await RawClient.ConnectAsync(fixture.Endpoint);
        await raw.HandshakeAsync(fixture.CoordinatorPublicKey, null);
        // Cluster and local PINGs mixed in one write: cluster ones are started together, yet every PONG keeps its place.
        var batch = new List<byte>();
        for (ulong token = 1; token <= 40; token++)
            batch.AddRange(raw.Seal(new PingPacket(token, token % 3 == 0 ? (byte)0 : PingPacket.ThroughCluster)));
        await raw.SendAsync(batch.ToArray());
        for (ulong token = 1; token <= 40; token++)
        {
            var frame = await raw.ReadFrameAsync(TimeSpan.FromSeconds(10));
            Assert.NotNull(frame);
            Assert.True(RawClient.Parse(frame, out PongPacket pong), $"expected PONG, got {Convert.ToHexString(frame)}");
            Assert.Equal(token, pong.Token);
            Assert.Equal(token % 3 == 0 ? (byte)0 : PingPacket.ThroughCluster, pong.Flags);
        }
    }

    [Fact]
    public async Task HostAgentIsRegisteredUnderTheIdDerivedFromItsKey()
    {
        using var identity = SigningIdentity.Generate();
        string hostId = HandshakeCrypto.HostId(identity.PublicKey);
        await using (var host = await fixture.ConnectAsync(identity))
        {
            Assert.Equal(hostId, host.Welcome.Identity);
            var info = await fixture.Grains.GetGrain<IHostGrain>(hostId).GetAsync();
            Assert.Equal(HostStatus.Online, info.Status);
            Assert.Equal(identity.PublicKey, info.PublicKey);
            Assert.Equal("127.0.0.1:6121", info.Endpoint);
        }
        // BYE on dispose: a clean goodbye is not a failure.
        var after = await WaitForAsync(() => fixture.Grains.GetGrain<IHostGrain>(hostId).GetAsync(), i => i.Status == HostStatus.Offline);
        Assert.Equal(0, after.Reliability.Failures);
    }

    [Fact]
    public async Task ASecondConnectionWithTheSameHostKeyReplacesTheFirst()
    {
        using var identity = SigningIdentity.Generate();
        string hostId = HandshakeCrypto.HostId(identity.PublicKey);
        await using var first = await fixture.ConnectAsync(identity);
        long open = fixture.Metrics.ActiveConnections;
        await using var second = await fixture.ConnectAsync(identity);
        var e = await Assert.ThrowsAsync<ProtocolException>(() => first.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ProtocolError.SessionReplaced, e.Code);
        await Eventually.TrueAsync(() => fixture.Metrics.ActiveConnections == open, "the replaced session did not end");
        // The newer session is served, and the older one's end is not the host's: still online, no failure counted.
        Assert.True((await second.PingAsync(throughCluster: true).WaitAsync(TimeSpan.FromSeconds(10))).ServerTimeMs > 0);
        var info = await fixture.Grains.GetGrain<IHostGrain>(hostId).GetAsync();
        Assert.Equal(HostStatus.Online, info.Status);
        Assert.Equal(0, info.Reliability.Failures);
    }

    [Fact]
    public async Task DroppedHostConnectionCountsAsAFailure()
    {
        using var identity = SigningIdentity.Generate();
        string hostId = HandshakeCrypto.HostId(identity.PublicKey);
        await using (var raw = await RawClient.ConnectAsync(fixture.Endpoint))
        {
            await raw.HandshakeAsync(fixture.CoordinatorPublicKey, identity);
        } // closed without BYE
        var info = await WaitForAsync(() => fixture.Grains.GetGrain<IHostGrain>(hostId).GetAsync(), i => i.Status == HostStatus.Offline);
        Assert.Equal(1, info.Reliability.Failures);
    }

    [Fact]
    public async Task BanningAConnectedHostClosesItsConnectionWithTheBanCode()
    {
        using var identity = SigningIdentity.Generate();
        string hostId = HandshakeCrypto.HostId(identity.PublicKey);
        await using var host = await fixture.ConnectAsync(identity);
        await fixture.Grains.GetGrain<IHostGrain>(hostId).SetBannedAsync(true);

        var e = await Assert.ThrowsAsync<ProtocolException>(() => host.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ProtocolError.ClusterBase + (ushort)ClusterError.HostBanned, e.Code);

        var again = await Assert.ThrowsAsync<ProtocolException>(() => fixture.ConnectAsync(identity));
        Assert.Equal(ProtocolError.ClusterBase + (ushort)ClusterError.HostBanned, again.Code);
    }

    [Fact]
    public async Task ObserverIsReattachedAfterTheHostGrainReactivates()
    {
        using var identity = SigningIdentity.Generate();
        string hostId = HandshakeCrypto.HostId(identity.PublicKey);
        await using var host = await fixture.ConnectAsync(identity);

        // Deactivate every idle grain: the host grain comes back without the connection's observer...
        var management = fixture.Grains.GetGrain<Orleans.Runtime.IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(HostStatus.Online, (await fixture.Grains.GetGrain<IHostGrain>(hostId).GetAsync()).Status);
        // ...until the gateway re-registers it (every 5 s); then a ban reaches the connection again.
        // Real time: the gateway's reattach timer runs on the shared silo's real clock, and nothing observable marks the reattach.
        await Task.Delay(TimeSpan.FromSeconds(6));
        await fixture.Grains.GetGrain<IHostGrain>(hostId).SetBannedAsync(true);
        var e = await Assert.ThrowsAsync<ProtocolException>(() => host.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ProtocolError.ClusterBase + (ushort)ClusterError.HostBanned, e.Code);
    }

    [Fact]
    public async Task ClientRefusesACoordinatorWhoseKeyIsNotPinned()
    {
        using var other = SigningIdentity.Generate();
        var options = new CoordinatorConnectionOptions { CoordinatorKeys = [other.PublicKey] };
        var e = await Assert.ThrowsAsync<ProtocolException>(() => CoordinatorConnection.ConnectAsync(fixture.Endpoint, options));
        Assert.Equal(ProtocolError.BadSignature, e.Code);
    }

    [Fact]
    public async Task ManyPipelinedPingsAreAllAnswered()
    {
        await using var client = await fixture.ConnectAsync();
        var pongs = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => client.PingAsync(throughCluster: true)));
        Assert.Equal(64, pongs.Select(p => p.Token).Distinct().Count());
    }

    private static Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done) =>
        Eventually.HoldsAsync(read, done, "condition", TimeSpan.FromSeconds(10));
}
