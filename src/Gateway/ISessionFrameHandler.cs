using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>What a <see cref="SessionReadLoop"/> hands its frames to (the <see cref="GatewaySession"/>); every false ends the loop.</summary>
public interface ISessionFrameHandler
{
    /// <summary>The session was closed from outside its read loop: nothing more is read once the batch is answered.</summary>
    bool CloseRequested { get; }

    /// <summary>Answers one frame (valid only during the call); false closes the connection.</summary>
    ValueTask<bool> HandleAsync(Frame frame);

    /// <summary>Counts the rejection and sends the peer ERROR; returns false (close).</summary>
    ValueTask<bool> FailAsync(ProtocolError code, string message);

    /// <summary>A pending read was cancelled, and not for idleness (the handshake deadline, a close from outside): true reads on.</summary>
    ValueTask<bool> ReadCanceledAsync();

    /// <summary>Every frame of a read is answered: finishes what they started (PONGs); false closes.</summary>
    ValueTask<bool> BatchDoneAsync();
}
