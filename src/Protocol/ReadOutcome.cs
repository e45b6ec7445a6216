namespace P2PCluster.Protocol;

/// <summary>What <see cref="FrameSession.TryReadFrame"/> found at the start of the buffer.</summary>
public enum ReadOutcome
{
    Incomplete,
    Frame,
    Error,
}
