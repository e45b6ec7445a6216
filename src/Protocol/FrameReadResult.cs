namespace P2PCluster.Protocol;

/// <summary>
/// One step of <see cref="FrameReader.ReadAsync"/>: a frame (valid until the next read), an error, a cancelled read,
/// or the end of the stream (<see cref="Error"/> is <see cref="ProtocolError.Truncated"/> if it cut a frame short).
/// </summary>
public readonly struct FrameReadResult(ReadOutcome outcome, Frame frame = default, ProtocolError error = ProtocolError.None)
{
    public ReadOutcome Outcome { get; } = outcome;
    public Frame Frame { get; } = frame;
    public ProtocolError Error { get; } = error;
}
