using Microsoft.Extensions.Time.Testing;

namespace P2PCluster.Protocol.Tests;

/// <summary>Tickets a host checks offline: every refusal has its own code, and a good ticket opens the door once.</summary>
public sealed class TicketTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_764_115_200_000);
    private readonly SigningIdentity _coordinator = SigningIdentity.Generate();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly TicketVerifier _verifier;
    private const string HostId = "h0123456789abcdef0123";

    public TicketTests() => _verifier = new TicketVerifier([_coordinator.PublicKey], HostId, _time);

    public void Dispose() => _coordinator.Dispose();

    private Ticket NewTicket(string host = HostId, ulong epoch = 4, long lifetimeMs = 60_000) =>
        new(_coordinator.KeyId, 2000001, 150001, "geffen", host, epoch, Start.ToUnixTimeMilliseconds(),
            Start.ToUnixTimeMilliseconds() + lifetimeMs, System.Security.Cryptography.RandomNumberGenerator.GetBytes(Ticket.NonceLength));

    private TicketError Verify(byte[] wire) => _verifier.Verify(wire, map => map == "geffen" ? 4UL : null, out _);

    [Fact]
    public void ValidTicketIsAcceptedOnceThenRefusedAsReplayed()
    {
        var wire = NewTicket().Sign(_coordinator);
        Assert.Equal(TicketError.None, _verifier.Verify(wire, map => map == "geffen" ? 4UL : null, out var ticket));
        Assert.Equal(150001u, ticket.CharId);
        Assert.Equal(TicketError.Replayed, Verify(wire));
    }

    [Fact]
    public void EveryAlteredByteIsRefused()
    {
        var wire = NewTicket().Sign(_coordinator);
        for (int i = 0; i < wire.Length; i++)
        {
            var forged = (byte[])wire.Clone();
            forged[i] ^= 0x01;
            var error = Verify(forged);
            Assert.True(error is TicketError.BadSignature or TicketError.Malformed or TicketError.UnknownKey,
                $"flipping byte {i} gave {error}");
        }
    }

    [Fact]
    public void TicketSignedByAnotherKeyIsForgedOrUnknown()
    {
        using var other = SigningIdentity.Generate();
        // Claims the coordinator's key id but is signed by another key: a forgery.
        var ticket = NewTicket();
        var body = ticket.Sign(_coordinator);
        var forged = body[..^ProtocolLimits.SignatureLength].Concat(other.Sign(Ticket.SignatureInput(body.AsSpan(0, body.Length - ProtocolLimits.SignatureLength)))).ToArray();
        Assert.Equal(TicketError.BadSignature, Verify(forged));
        // Signed properly by a key this host does not trust.
        Assert.Equal(TicketError.UnknownKey, Verify((ticket with { KeyId = other.KeyId }).Sign(other)));
    }

    [Fact]
    public void ExpiredAndNotYetValidTicketsAreRefused()
    {
        var wire = NewTicket().Sign(_coordinator);
        _time.Advance(TimeSpan.FromSeconds(60) + _verifier.ClockSkew + TimeSpan.FromMilliseconds(1));
        Assert.Equal(TicketError.Expired, Verify(wire));

        var early = (NewTicket() with
        {
            IssuedMs = _time.GetUtcNow().ToUnixTimeMilliseconds() + 10_000,
            ExpiresMs = _time.GetUtcNow().ToUnixTimeMilliseconds() + 70_000,
        }).Sign(_coordinator);
        Assert.Equal(TicketError.NotYetValid, Verify(early));
    }

    [Fact]
    public void WrongHostWrongEpochAndMapNotHostedAreRefused()
    {
        Assert.Equal(TicketError.WrongHost, Verify(NewTicket(host: "h9999999999999999999").Sign(_coordinator)));
        Assert.Equal(TicketError.WrongEpoch, Verify(NewTicket(epoch: 3).Sign(_coordinator)));
        Assert.Equal(TicketError.WrongEpoch, Verify(NewTicket(epoch: 5).Sign(_coordinator)));
        Assert.Equal(TicketError.MapNotHosted, Verify((NewTicket() with { Map = "payon" }).Sign(_coordinator)));
    }

    [Fact]
    public void MalformedTicketsAreRefused()
    {
        var wire = NewTicket().Sign(_coordinator);
        for (int length = 0; length < wire.Length; length++) Assert.Equal(TicketError.Malformed, Verify(wire[..length]));
        Assert.Equal(TicketError.Malformed, Verify([.. wire, 0]));
        var otherVersion = (byte[])wire.Clone();
        otherVersion[0] = 2;
        Assert.Equal(TicketError.Malformed, Verify(otherVersion));
        // A validity window over the maximum, even if the coordinator's key signed it.
        var ticket = NewTicket();
        var longLived = TicketBytes(ticket, ticket.IssuedMs, ticket.IssuedMs + (long)Ticket.MaxLifetime.TotalMilliseconds + 1);
        Assert.Equal(TicketError.Malformed, Verify(longLived));
        Assert.Equal(TicketError.Malformed, Verify(TicketBytes(ticket, -1, 1000)));
        Assert.Equal(TicketError.Malformed, Verify(TicketBytes(ticket, long.MaxValue - 10, long.MaxValue)));
        Assert.Equal(TicketError.Malformed, Verify(new byte[Ticket.MaxLength + 1]));
    }

    /// <summary>A ticket with any times, signed by the coordinator's key (bypassing <see cref="Ticket.Sign"/>'s checks).</summary>
    private byte[] TicketBytes(Ticket ticket, long issued, long expires)
    {
        var wire = (ticket with { IssuedMs = 0, ExpiresMs = 1 }).Sign(_coordinator);
        int times = wire.Length - ProtocolLimits.SignatureLength - Ticket.NonceLength - 16;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(wire.AsSpan(times), issued);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(wire.AsSpan(times + 8), expires);
        var body = wire.AsSpan(0, wire.Length - ProtocolLimits.SignatureLength);
        _coordinator.Sign(Ticket.SignatureInput(body)).CopyTo(wire.AsSpan(body.Length));
        return wire;
    }

    [Fact]
    public void BadTicketsCannotBeSigned()
    {
        Assert.Throws<ArgumentException>(() => (NewTicket() with { Map = "" }).Sign(_coordinator));
        Assert.Throws<ArgumentException>(() => (NewTicket() with { Map = new string('m', Ticket.MaxNameLength + 1) }).Sign(_coordinator));
        Assert.Throws<ArgumentException>(() => (NewTicket() with { CharId = 0 }).Sign(_coordinator));
        Assert.Throws<ArgumentException>(() => (NewTicket() with { ExpiresMs = Start.ToUnixTimeMilliseconds() }).Sign(_coordinator));
        Assert.Throws<ArgumentException>(() => (NewTicket() with { Nonce = new byte[8] }).Sign(_coordinator));
        Assert.Throws<ArgumentException>(() => NewTicket(lifetimeMs: (long)Ticket.MaxLifetime.TotalMilliseconds + 1).Sign(_coordinator));
        using var other = SigningIdentity.Generate();
        Assert.Throws<ArgumentException>(() => NewTicket().Sign(other));
        Assert.Throws<ArgumentException>(() => new TicketVerifier([new byte[31]], HostId));
        Assert.Throws<ArgumentException>(() => new TicketVerifier([], HostId));
    }

    [Fact]
    public void RememberedTicketsAreForgottenAfterTheyExpire()
    {
        for (int i = 0; i < 50; i++) Assert.Equal(TicketError.None, Verify(NewTicket(lifetimeMs: 1000).Sign(_coordinator)));
        Assert.Equal(50, _verifier.Remembered);
        _time.Advance(TimeSpan.FromSeconds(1) + _verifier.ClockSkew + TimeSpan.FromSeconds(2));
        Assert.Equal(TicketError.None, Verify(NewTicket().Sign(_coordinator)));
        Assert.Equal(1, _verifier.Remembered);
    }

    [Fact]
    public void TwoCoordinatorKeysAreTrustedDuringARotation()
    {
        using var next = SigningIdentity.Generate();
        var verifier = new TicketVerifier([_coordinator.PublicKey, next.PublicKey], HostId, _time);
        Assert.Equal(TicketError.None, verifier.Verify(NewTicket().Sign(_coordinator), _ => 4, out _));
        Assert.Equal(TicketError.None, verifier.Verify((NewTicket() with { KeyId = next.KeyId }).Sign(next), _ => 4, out _));
    }
}
