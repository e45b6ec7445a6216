using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using P2PCluster.Client;
using P2PCluster.HostAgent.Coordinator;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Tests;

/// <summary>
/// What an agent trusts: the pinned key, then an announced key set signed by a key it trusts, kept across restarts;
/// retired and revoked keys dropped, announcements from untrusted keys and older ones ignored.
/// </summary>
public sealed class CoordinatorTrustTests : IDisposable
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-trust-");
    private readonly FakeTimeProvider _time = new(T0);
    private readonly SigningIdentity _old = SigningIdentity.Generate(), _next = SigningIdentity.Generate(), _stranger = SigningIdentity.Generate();

    public void Dispose()
    {
        _dir.Delete(recursive: true);
        foreach (var key in new[] { _old, _next, _stranger }) key.Dispose();
    }

    private string File => CoordinatorTrust.FileBeside(Path.Combine(_dir.FullName, "host.pem"));

    private CoordinatorTrust Trust() => new(_old.PublicKey, File, _time, NullLogger<CoordinatorTrust>.Instance);

    private static ulong Ms(DateTimeOffset at) => (ulong)at.ToUnixTimeMilliseconds();

    private KeySetPacket Rotation(SigningIdentity signer, DateTimeOffset issued, bool oldRevoked = false) => new KeySetPacket(Ms(issued),
        [new AnnouncedKey(_next.PublicKey, Ms(T0 + TimeSpan.FromSeconds(60)), 0, false),
         new AnnouncedKey(_old.PublicKey, Ms(T0 - TimeSpan.FromDays(1)), Ms(T0 + TimeSpan.FromHours(1)), oldRevoked)], default, default).Sign(signer);

    private static bool Holds(CoordinatorTrust trust, SigningIdentity key) => trust.Trusted().Any(k => k.Key.AsSpan().SequenceEqual(key.PublicKey));

    [Fact]
    public void AnnouncementSignedByThePinnedKeyIsTrustedKeptAndOutlivesTheRetiredPinnedKey()
    {
        var trust = Trust();
        var verifier = trust.Attach(new TicketVerifier([_old.PublicKey], "h0123456789abcdef0123", _time));
        Assert.False(Holds(trust, _next));
        trust.Accept(Rotation(_old, T0));

        Assert.True(Holds(trust, _next));
        Assert.Equal(_next.PublicKey, trust.Live[0]); // the newest key first: the one a handshake asks for
        Assert.True(System.IO.File.Exists(File));
        long now = T0.ToUnixTimeMilliseconds();
        var ticket = new Ticket(_next.KeyId, 1, 2, "prontera", "h0123456789abcdef0123", 3, now, now + 30_000, new byte[16]);
        Assert.NotEqual(TicketError.UnknownKey, verifier.Verify(ticket.Sign(_next), _ => 3, out _)); // tickets under the new key now verify

        _time.Advance(TimeSpan.FromHours(1));
        var restarted = Trust(); // a restart reads the kept set: the old pinned key has retired, the new one is trusted
        Assert.True(Holds(restarted, _next));
        Assert.False(Holds(restarted, _old));
    }

    [Fact]
    public void TicketUnderTheOldKeyIsAcceptedThroughTheGraceAndRefusedAfterRetirement()
    {
        var trust = Trust();
        var verifier = trust.Attach(new TicketVerifier([_old.PublicKey], "h0123456789abcdef0123", _time) { ClockSkew = TimeSpan.Zero });
        trust.Accept(Rotation(_old, T0)); // _old retires at T0 + 1 h

        byte[] TicketAt(DateTimeOffset at)
        {
            long ms = at.ToUnixTimeMilliseconds();
            return new Ticket(_old.KeyId, 1, 2, "prontera", "h0123456789abcdef0123", 3, ms, ms + 30_000, Guid.NewGuid().ToByteArray()).Sign(_old);
        }

        _time.SetUtcNow(T0 + TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        Assert.Equal(TicketError.None, verifier.Verify(TicketAt(_time.GetUtcNow()), _ => 3, out _));
        _time.SetUtcNow(T0 + TimeSpan.FromHours(1));
        Assert.Equal(TicketError.UnknownKey, verifier.Verify(TicketAt(_time.GetUtcNow()), _ => 3, out _));
    }

    [Fact]
    public void AnnouncementFromAnUntrustedKeyOrOlderThanTheLastIsIgnored()
    {
        var trust = Trust();
        trust.Accept(Rotation(_stranger, T0));
        Assert.False(Holds(trust, _next));
        Assert.False(System.IO.File.Exists(File));

        trust.Accept(Rotation(_old, T0, oldRevoked: true));
        Assert.False(Holds(trust, _old));
        trust.Accept(Rotation(_next, T0 - TimeSpan.FromSeconds(1))); // an older set that still trusted _old
        Assert.False(Holds(trust, _old));
    }

    [Fact]
    public void RevokedKeyNoLongerPassesTheHandshake()
    {
        var trust = Trust();
        trust.Accept(Rotation(_old, T0, oldRevoked: true));
        using var client = new ClientHandshake(PeerRole.HostAgent, trust.Live, preferFirstKey: true);
        using var server = new ServerHandshake(_old, encryption: true);
        var hello = client.CreateHello();
        Assert.Equal(ProtocolError.None, server.Accept(hello, out var reply, out _));
        Assert.Equal(ProtocolError.BadSignature, client.Accept(reply, out _));
    }
}
