using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using P2PCluster.Client;
using P2PCluster.HostAgent.Maps;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Coordinator;

/// <summary>
/// Claims tickets over the agent's live coordinator session: each CLAIM_TICKET gets its own request id, and the
/// session's receive loop (the only reader of the connection) hands the matching CLAIM_RESULT back through
/// <see cref="Complete"/>. A claim is answered Unavailable when no session is up, when its session ends first, or
/// when no answer comes within <paramref name="timeout"/>.
/// </summary>
public sealed partial class CoordinatorTicketClaimer(TimeSpan timeout, TimeProvider time, ILogger<CoordinatorTicketClaimer> logger) : ITicketClaimer
{
    private sealed record Pending(CoordinatorConnection Connection, uint CharId, TaskCompletionSource<TicketClaim> Answer);

    private readonly ConcurrentDictionary<uint, Pending> _pending = new();
    private readonly ConcurrentDictionary<uint, PendingMove> _moves = new();

    private sealed record PendingMove(CoordinatorConnection Connection, uint CharId, TaskCompletionSource<MoveOutcome> Answer);
    private CoordinatorConnection? _connection;
    private int _nextRequest;

    /// <summary>Claims waiting for the coordinator's answer.</summary>
    public int Waiting => _pending.Count;

    /// <summary>Claims go over <paramref name="connection"/> from now on.</summary>
    public void Attach(CoordinatorConnection connection) => Volatile.Write(ref _connection, connection);

    /// <summary>The session over <paramref name="connection"/> has ended: no claim goes over it any more, and those awaiting its answer are Unavailable.</summary>
    public void Detach(CoordinatorConnection connection)
    {
        Interlocked.CompareExchange(ref _connection, null, connection);
        foreach (var (request, pending) in _pending)
            if (pending.Connection == connection && _pending.TryRemove(new(request, pending)))
                pending.Answer.TrySetResult(TicketClaim.Unavailable);
        foreach (var (request, move) in _moves)
            if (move.Connection == connection && _moves.TryRemove(new(request, move)))
                move.Answer.TrySetResult(MoveOutcome.Unavailable);
    }

    /// <summary>Delivers a MOVE_RESULT to the move that asked for it; false when none waits for it.</summary>
    public bool Complete(MoveResultPacket result)
    {
        if (!_moves.TryGetValue(result.RequestId, out var pending) || pending.CharId != result.CharId
            || !_moves.TryRemove(new(result.RequestId, pending)))
            return false;
        return pending.Answer.TrySetResult(new MoveOutcome(result.Code, result.Route));
    }

    public async Task PlayerLeftAsync(uint charId, string map, ulong epoch)
    {
        if (Volatile.Read(ref _connection) is not { } connection) return;
        try
        {
            await connection.SendAsync(new PlayerLeftPacket(charId, map, epoch));
        }
        catch (Exception e) when (e is ProtocolException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The session is gone; the character's next resolve puts it right.
        }
    }

    public async Task<MoveOutcome> MoveAsync(uint charId, string fromMap, ulong epoch, string toMap, CharacterState state, CancellationToken cancellationToken)
    {
        var connection = Volatile.Read(ref _connection);
        if (connection is null) return MoveOutcome.Unavailable;
        uint request = (uint)Interlocked.Increment(ref _nextRequest);
        var pending = new PendingMove(connection, charId, new TaskCompletionSource<MoveOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        _moves[request] = pending;
        try
        {
            if (Volatile.Read(ref _connection) != connection) return MoveOutcome.Unavailable;
            await connection.SendAsync(new MovePlayerPacket(request, charId, fromMap, epoch, toMap, state), cancellationToken);
            return await pending.Answer.Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return MoveOutcome.Unavailable;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && e is ProtocolException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            return MoveOutcome.Unavailable;
        }
        finally
        {
            _moves.TryRemove(request, out _);
        }
    }

    /// <summary>Delivers a CLAIM_RESULT to the claim that asked for it; false when none waits for it (answered too late, or never asked).</summary>
    public bool Complete(ClaimResultPacket result)
    {
        if (!_pending.TryGetValue(result.RequestId, out var pending) || pending.CharId != result.CharId
            || !_pending.TryRemove(new(result.RequestId, pending)))
            return false;
        return pending.Answer.TrySetResult(new TicketClaim(result.Code, result.AccountId, result.State));
    }

    public async Task<TicketClaim> ClaimAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var connection = Volatile.Read(ref _connection);
        if (connection is null)
        {
            LogNoSession(logger, ticket.CharId, ticket.Map);
            return TicketClaim.Unavailable;
        }
        uint request = (uint)Interlocked.Increment(ref _nextRequest);
        var pending = new Pending(connection, ticket.CharId, new TaskCompletionSource<TicketClaim>(TaskCreationOptions.RunContinuationsAsynchronously));
        _pending[request] = pending;
        try
        {
            // Detach may have swept the waiting claims between the read above and the registration: this one would wait in vain.
            if (Volatile.Read(ref _connection) != connection) return TicketClaim.Unavailable;
            await connection.SendAsync(new ClaimTicketPacket(request, ticket.CharId, ticket.Map, ticket.Epoch, ticket.Nonce), cancellationToken);
            return await pending.Answer.Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogNoAnswer(logger, ticket.CharId, ticket.Map, (long)timeout.TotalMilliseconds);
            return TicketClaim.Unavailable;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && e is ProtocolException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The session broke while sending; the agent's loop reports why and reconnects.
            return TicketClaim.Unavailable;
        }
        finally
        {
            _pending.TryRemove(request, out _);
        }
    }

    [LoggerMessage(EventId = 5120, Level = LogLevel.Warning, Message = "Cannot claim the ticket of char {CharId} on {Map}: no coordinator session")]
    private static partial void LogNoSession(ILogger logger, uint charId, string map);

    [LoggerMessage(EventId = 5121, Level = LogLevel.Warning, Message = "The coordinator did not answer the claim of char {CharId} on {Map} within {TimeoutMs} ms")]
    private static partial void LogNoAnswer(ILogger logger, uint charId, string map, long timeoutMs);
}
