using Microsoft.Extensions.Logging;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>Log lines of <see cref="HostReportHandler{TPacket}"/> (a generic type cannot hold them).</summary>
internal static partial class HostReportLog
{
    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning, Message = "{ConnectionId}: host {HostId}'s {Packet} was not applied, the database failed ({Reason}); the session stays")]
    public static partial void StoreUnavailable(ILogger logger, string connectionId, string hostId, PacketId packet, string reason);

    [LoggerMessage(EventId = 3040, Level = LogLevel.Information,
        Message = "{ConnectionId}: host {HostId}'s {Packet} did not reach its grain ({Error}); the session stays, the next heartbeat retries")]
    public static partial void ClusterUnavailable(ILogger logger, string connectionId, string hostId, PacketId packet, string error);
}
