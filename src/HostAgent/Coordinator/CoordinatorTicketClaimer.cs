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
    }

    /// <summary>Delivers a CLAIM_RESULT to the claim that asked for it; false when none waits for it (answered too late, or never asked).</summary>
    public bool Complete(ClaimResultPacket result)
    {
        if (!_pending.TryGetValue(result.RequestId, out var pending) || pending.CharId != result.CharId
            || !_pending.TryRemove(new(result.RequestId, pending)))
            return false;
        return pending.Answer.TrySetResult(new TicketClaim(result.Code, result.AccountId));
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
