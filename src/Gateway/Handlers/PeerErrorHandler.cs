using Microsoft.Extensions.Logging;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>ERROR from the peer: logged (when it parses) and the connection closes.</summary>
public sealed partial class PeerErrorHandler() : PacketHandler<ErrorPacket>(SessionRole.Any)
{
    // An ERROR that does not parse closes the connection all the same, without a word back.
    public override ValueTask<bool> HandleAsync(GatewaySession session, Frame frame) =>
        FrameCodec.TryRead(frame, out ErrorPacket error) ? HandleAsync(session, error) : ValueTask.FromResult(false);

    protected override ValueTask<bool> HandleAsync(GatewaySession session, ErrorPacket error)
    {
        LogPeerError(session.Context.Logger, session.ConnectionId, error.Code, error.Message);
        return ValueTask.FromResult(false);
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "{ConnectionId}: peer sent error {Code}: {Message}")]
    private static partial void LogPeerError(ILogger logger, string connectionId, ProtocolError code, string message);
}
