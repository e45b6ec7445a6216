using System.Security.Cryptography;
using P2PCluster.HostAgent.Maps;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Tests;

/// <summary>A coordinator key that signs player tickets as the gateway does for ROUTE, and the ROUTE a player would get.</summary>
public sealed class TestTickets : IDisposable
{
    /// <summary>A host id of the real shape (§8): "h" and 20 hex digits.</summary>
    public const string HostId = "h0123456789abcdef0123";
    public const uint Account = 2000000;
    public const uint Char = 150000;

    public SigningIdentity Key { get; } = SigningIdentity.Generate();

    /// <summary>A ticket valid from a second ago for a minute, unless told otherwise; not yet signed.</summary>
    public Ticket Ticket(string map, ulong epoch, string hostId = HostId, uint charId = Char, DateTimeOffset? issued = null, TimeSpan? validFor = null)
    {
        long from = (issued ?? DateTimeOffset.UtcNow.AddSeconds(-1)).ToUnixTimeMilliseconds();
        return new Ticket(Key.KeyId, Account, charId, map, hostId, epoch, from, from + (long)(validFor ?? TimeSpan.FromMinutes(1)).TotalMilliseconds,
            RandomNumberGenerator.GetBytes(Protocol.Ticket.NonceLength));
    }

    public byte[] Sign(Ticket ticket) => ticket.Sign(Key);

    /// <summary>The ROUTE that sends a player with <paramref name="wire"/> to the instance on <paramref name="port"/>.</summary>
    public static RoutePacket Route(int port, Ticket ticket, byte[] wire) =>
        new(1, ticket.CharId, ticket.Map, 0, ticket.HostId, $"127.0.0.1:{port}", ticket.Epoch, ticket.ExpiresMs, wire);

    /// <summary>Admission as the agent sets it up: a verifier trusting this key for <paramref name="hostId"/>, and <paramref name="claimer"/>.</summary>
    public PlayerAdmission Admission(ITicketClaimer claimer, string hostId = HostId) =>
        new(new TicketVerifier([Key.PublicKey], hostId), claimer, new AdmissionMetrics());

    public void Dispose() => Key.Dispose();
}
