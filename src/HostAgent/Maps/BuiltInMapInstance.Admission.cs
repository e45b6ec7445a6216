using Microsoft.Extensions.Logging;
using P2PCluster.Client;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Maps;

public sealed partial class BuiltInMapInstance
{
    /// <summary>
    /// Lets a connection in as a player (docs/protocol.md, "Map instance: ENTER/ENTERED"): a free slot, ENTER as the
    /// first frame within the deadline, a ticket that passes the offline checks for this map under its current epoch,
    /// still a free slot, and the coordinator's claim — and the agent's lease holding at each step (else Unavailable).
    /// Then ENTERED and true; otherwise ERROR with the first code that applies (or nothing, if the peer left first) and false.
    /// </summary>
    private async Task<Ticket?> AdmitAsync(PlayerConnection connection, CancellationToken stopping)
    {
        if (!_lease.Open) return await RefuseAsync(connection, ProtocolError.Unavailable, LeaseLost, 0);
        // Full already: say so before reading anything, as the gateway does with ServerBusy.
        if (Volatile.Read(ref _slots) >= maxPlayers) return await RefuseAsync(connection, ProtocolError.ServerBusy, Full, 0);

        var (enter, error, problem) = await ReadEnterAsync(connection, stopping);
        if (error != ProtocolError.None) return await RefuseAsync(connection, error, problem, 0);
        if (enter is not { Ticket: var wire }) return null; // left without a word

        var verdict = admission.Verifier.Verify(wire, name => name == map ? epoch() : null, out var ticket);
        if (verdict != TicketError.None)
        {
            // Before the signature is checked, the ticket's char id is only what the sender claims.
            uint claimed = verdict is TicketError.Malformed or TicketError.UnknownKey or TicketError.BadSignature ? 0 : ticket.CharId;
            return await RefuseAsync(connection, verdict.ToProtocol(), $"ticket refused: {verdict}", claimed);
        }

        if (!_lease.Open)
        {
            admission.Verifier.Release(ticket); // not claimed: the ticket still admits the player where the map runs now
            return await RefuseAsync(connection, ProtocolError.Unavailable, LeaseLost, ticket.CharId);
        }

        // The slot is taken before the claim, so a claim the coordinator accepts never meets a full instance.
        if (Interlocked.Increment(ref _slots) > maxPlayers)
        {
            Interlocked.Decrement(ref _slots);
            admission.Verifier.Release(ticket); // not used: the player may try the same ticket again
            return await RefuseAsync(connection, ProtocolError.ServerBusy, Full, ticket.CharId);
        }
        bool counted = false, admitted = false, decided = false;
        TicketClaim claim;
        try
        {
            claim = await admission.Claimer.ClaimAsync(ticket, stopping);
            decided = claim.Admitted || claim.Code != ProtocolError.Unavailable;
            if (!claim.Admitted)
            {
                string why = claim.Code == ProtocolError.Unavailable ? "the coordinator could not confirm the ticket; retry" : "the coordinator refused the ticket";
                return await RefuseAsync(connection, claim.Code, why, ticket.CharId);
            }
            // The claim took a round trip: the lease may have run out meanwhile.
            if (!_lease.Open) return await RefuseAsync(connection, ProtocolError.Unavailable, LeaseLost, ticket.CharId);
            // Counted before ENTERED goes out, so whoever reads it also sees the player counted.
            Interlocked.Increment(ref _players);
            counted = true;
            if (!await connection.Frames.SendAsync(new EnteredPacket(claim.AccountId, ticket.CharId, map, ticket.Epoch, claim.State), cancellationToken: stopping))
                return null; // left before ENTERED
            admitted = true;
        }
        finally
        {
            // Undecided by the coordinator: the player may bring the same ticket again (TicketVerifier.Release).
            if (!decided) admission.Verifier.Release(ticket);
            if (!admitted)
            {
                if (counted) Interlocked.Decrement(ref _players);
                Interlocked.Decrement(ref _slots);
            }
        }
        admission.Metrics.OnAdmitted();
        LogAdmitted(logger, map, ticket.CharId, claim.AccountId, connection.Remote, ticket.Epoch);
        return ticket;
    }

    private string LeaseLost => $"this host's lease ran out: it no longer serves {map}; resolve the map again";

    private string Full => $"map {map} is full ({maxPlayers} players)";

    /// <summary>The first frame, which must be a well-formed ENTER, within the deadline. Neither a packet nor an error: the peer closed first.</summary>
    private async Task<(EnterPacket? Enter, ProtocolError Error, string Problem)> ReadEnterAsync(PlayerConnection connection, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(admission.EnterDeadline);
        FrameReadResult read;
        try
        {
            read = await connection.Frames.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return (null, ProtocolError.HandshakeTimeout, $"no ENTER within {admission.EnterDeadline.TotalSeconds:0.###} s");
        }
        if (read.Outcome == ReadOutcome.Error) return (null, read.Error, "invalid first frame");
        if (read.Outcome != ReadOutcome.Frame) return (null, ProtocolError.None, "");
        using var frame = new FrameLease(connection.Frames);
        if (read.Frame.Id != (ushort)PacketId.Enter)
            return (null, ProtocolError.UnexpectedPacket, $"the first frame must be ENTER (0x5400), not 0x{read.Frame.Id:X4}");
        return FrameCodec.TryRead(read.Frame, out EnterPacket enter) ? (enter, ProtocolError.None, "") : (null, ProtocolError.Malformed, "malformed ENTER");
    }

    private async Task<Ticket?> RefuseAsync(PlayerConnection connection, ProtocolError code, string reason, uint charId)
    {
        long count = admission.Metrics.OnRefused(code);
        LogRefused(logger, map, connection.Remote, charId, ErrorNames.Name(code), (ushort)code, count, reason);
        await connection.RefuseAsync(code, reason, admission.CloseGrace);
        return null;
    }

    [LoggerMessage(EventId = 5401, Level = LogLevel.Information,
        Message = "Map {Map}: refused {Remote} (char {CharId}): {Code} ({CodeNumber}), {Count} so far with this code; {Reason}")]
    private static partial void LogRefused(ILogger logger, string map, string remote, uint charId, string code, ushort codeNumber, long count, string reason);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Information, Message = "Map {Map}: admitted char {CharId} (account {AccountId}) from {Remote} under epoch {Epoch}")]
    private static partial void LogAdmitted(ILogger logger, string map, uint charId, uint accountId, string remote, ulong epoch);
}
