using Microsoft.Extensions.Logging;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// One session per host key and port at this gateway (docs/protocol.md §6, "One session per host key"): a newer
/// connection that identifies with the key replaces the older one, which is closed with SessionReplaced (18). An agent
/// that reconnects after a network fault is served at once instead of waiting for its old connection to time out.
/// </summary>
public sealed partial class GatewaySession
{
    /// <summary>Makes this session the one <paramref name="hostId"/> holds on this port; returns the session it replaces.</summary>
    private GatewaySession? ClaimHost(string hostId)
    {
        _claimedHost = hostId;
        return context.HostSessions.Claim(hostId, databaseProxy, this);
    }

    /// <summary>The registration failed: the key goes back to the session that held it, which stays open.</summary>
    private void UnclaimHost(GatewaySession? previous)
    {
        context.HostSessions.Restore(_claimedHost!, databaseProxy, this, previous);
        _claimedHost = null;
    }

    /// <summary>
    /// A newer connection identified with this session's host key and took its place: close with SessionReplaced.
    /// Never throws (the caller does not wait for the older peer).
    /// </summary>
    private async Task ReplaceAsync(string hostId)
    {
        _replaced = true;
        context.Metrics.Replaced();
        context.Metrics.Reject(ProtocolError.SessionReplaced);
        LogReplaced(context.Logger, connection.ConnectionId, hostId, databaseProxy);
        try
        {
            await CloseAsync(ProtocolError.SessionReplaced, $"another connection identified as host {hostId}; this one is closed");
        }
        catch (InvalidOperationException)
        {
            // The older session ended on its own meanwhile.
        }
    }

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "{ConnectionId}: host {HostId} connected again (database proxy: {DatabaseProxy}); this older session is closed with SessionReplaced")]
    private static partial void LogReplaced(ILogger logger, string connectionId, string hostId, bool databaseProxy);
}
