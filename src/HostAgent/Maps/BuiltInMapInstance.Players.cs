using Microsoft.Extensions.Logging;
using P2PCluster.Client;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Maps;

public sealed partial class BuiltInMapInstance
{
    /// <summary>
    /// Keeps an admitted player until it leaves, stays silent for the idle timeout, or moves away. Any frame counts as
    /// activity; WARP_REQUEST saves the state the player carries through the database proxy, then sends the character
    /// to another map through the coordinator, answered with MOVE — after which this instance lets the player go — or
    /// REFUSED with the proxy's or the coordinator's code (the player stays). Once the agent's lease has run out, the
    /// next frame is not handled: the player is closed with Unavailable.
    /// </summary>
    /// <returns>True when the player moved on to another map; false when it left.</returns>
    private async Task<bool> StayAsync(PlayerConnection connection, Ticket ticket, CharacterSync? character, CancellationToken stopping)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping, connection.Replaced);
        while (true)
        {
            idle.CancelAfter(idleTimeout);
            FrameReadResult read;
            try
            {
                read = await connection.Frames.ReadAsync(idle.Token);
            }
            catch (OperationCanceledException) when (connection.Replaced.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                // Its character entered again on a newer connection: say so, so the client there does not come back
                // and take it over in turn (two clients of one character would take turns forever).
                await connection.RefuseAsync(ProtocolError.SessionReplaced,
                    $"char {ticket.CharId} entered {map} on another connection; this one is closed", admission.CloseGrace);
                return false;
            }
            if (read.Outcome is ReadOutcome.Completed or ReadOutcome.Canceled) return false;
            if (!_lease.Open)
            {
                await RefuseAsync(connection, ProtocolError.Unavailable, LeaseLost, ticket.CharId);
                return false;
            }
            if (read.Outcome == ReadOutcome.Error)
            {
                await connection.RefuseAsync(read.Error, "invalid frame", admission.CloseGrace);
                return false;
            }
            if (read.Frame.Id != (ushort)PacketId.WarpRequest)
            {
                connection.Frames.Advance();
                continue;
            }
            bool parsed = FrameCodec.TryRead(read.Frame, out WarpRequestPacket warp);
            connection.Frames.Advance();
            if (!parsed)
            {
                await connection.RefuseAsync(ProtocolError.Malformed, "malformed WARP_REQUEST", admission.CloseGrace);
                return false;
            }
            if (await WarpAsync(connection, ticket, character, warp, stopping)) return true;
        }
    }

    /// <summary>
    /// Saves the player's state, then asks the coordinator to move the player; true when it has been sent on (MOVE),
    /// false when it stays (REFUSED). A save the proxy refuses refuses the warp with its code; a proxy that cannot be
    /// asked does not stop the warp (the coordinator's session carries the state to the next host).
    /// </summary>
    private async Task<bool> WarpAsync(PlayerConnection connection, Ticket ticket, CharacterSync? character, WarpRequestPacket warp, CancellationToken stopping)
    {
        if (character is not null)
        {
            var saved = await character.SaveAsync(warp.State).WaitAsync(stopping);
            if (saved != ProtocolError.None && !ICharacterDatabase.IsTransient(saved))
            {
                LogWarpNotSaved(logger, map, ticket.CharId, warp.ToMap, ErrorNames.Name(saved), (ushort)saved);
                await connection.Frames.SendAsync(new RefusedPacket(0, saved, $"the database proxy refused to save char {ticket.CharId}; it stays on {map}"),
                    cancellationToken: stopping);
                return false;
            }
        }
        var outcome = await admission.Claimer.MoveAsync(ticket.CharId, map, epoch(), warp.ToMap, warp.State, stopping);
        if (outcome is { Moved: true, Route: { } route })
        {
            await connection.Frames.SendAsync(new MovePacket(ticket.CharId, route), cancellationToken: stopping);
            LogMoved(logger, map, ticket.CharId, route.Map, route.HostId, route.Epoch);
            return true;
        }
        LogMoveRefused(logger, map, ticket.CharId, warp.ToMap, outcome.Code, (ushort)outcome.Code);
        await connection.Frames.SendAsync(new RefusedPacket(0, outcome.Code, $"the coordinator did not move char {ticket.CharId} to {warp.ToMap}"),
            cancellationToken: stopping);
        return false;
    }

    /// <summary>
    /// A player left without moving on: marked offline at the database proxy first (the proxy accepts it only while the
    /// coordinator still has the character on this map), then PLAYER_LEFT. Never throws.
    /// </summary>
    private async Task LeaveAsync(Ticket ticket, CharacterSync? character)
    {
        if (character is not null) await character.CloseAsync();
        await admission.Claimer.PlayerLeftAsync(ticket.CharId, map, ticket.Epoch);
    }

    [LoggerMessage(EventId = 5403, Level = LogLevel.Information, Message = "Map {Map}: char {CharId} saved and sent to {ToMap} on host {HostId} (epoch {Epoch})")]
    private static partial void LogMoved(ILogger logger, string map, uint charId, string toMap, string hostId, ulong epoch);

    [LoggerMessage(EventId = 5404, Level = LogLevel.Information, Message = "Map {Map}: the coordinator refused to move char {CharId} to {ToMap}: {Code} ({CodeNumber})")]
    private static partial void LogMoveRefused(ILogger logger, string map, uint charId, string toMap, ProtocolError code, ushort codeNumber);

    [LoggerMessage(EventId = 5405, Level = LogLevel.Warning,
        Message = "Map {Map}: refused to warp char {CharId} to {ToMap}: the database proxy refused its save with {Code} ({CodeNumber}); it stays")]
    private static partial void LogWarpNotSaved(ILogger logger, string map, uint charId, string toMap, string code, ushort codeNumber);
}
