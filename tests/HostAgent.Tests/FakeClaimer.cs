using System.Collections.Concurrent;
using P2PCluster.HostAgent.Maps;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Tests;

/// <summary>Stands in for the coordinator's claim: records each claim and answers it with <see cref="Answer"/> (by default: admitted).</summary>
public sealed class FakeClaimer : ITicketClaimer
{
    private readonly ConcurrentQueue<Ticket> _claims = new();

    public Func<Ticket, Task<TicketClaim>> Answer { get; set; } = ticket => Task.FromResult(new TicketClaim(ProtocolError.None, ticket.AccountId));

    /// <summary>Every ticket claimed so far, in order.</summary>
    public IReadOnlyList<Ticket> Claims => [.. _claims];

    public async Task<TicketClaim> ClaimAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        _claims.Enqueue(ticket);
        return await Answer(ticket).WaitAsync(cancellationToken);
    }

    /// <summary>How moves are answered (by default: refused as MapUnavailable).</summary>
    public Func<uint, string, ulong, string, CharacterState, MoveOutcome> AnswerMove { get; set; } =
        (_, _, _, _, _) => new MoveOutcome(ProtocolError.ClusterBase + 12, null);

    private readonly ConcurrentQueue<(uint CharId, string Map, ulong Epoch)> _left = new();

    /// <summary>Every PLAYER_LEFT so far, in order.</summary>
    public IReadOnlyList<(uint CharId, string Map, ulong Epoch)> Left => [.. _left];

    public Task PlayerLeftAsync(uint charId, string map, ulong epoch)
    {
        _left.Enqueue((charId, map, epoch));
        return Task.CompletedTask;
    }

    public Task<MoveOutcome> MoveAsync(uint charId, string fromMap, ulong epoch, string toMap, CharacterState state, CancellationToken cancellationToken) =>
        Task.FromResult(AnswerMove(charId, fromMap, epoch, toMap, state));
}
