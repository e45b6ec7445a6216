namespace P2PCluster.Protocol;

/// <summary>What <see cref="FrameReader"/> found: a frame, an error, a cancelled read, or the end of the stream.</summary>
public enum ReadOutcome
{
    /// <summary>No complete frame in the buffer yet (<see cref="FrameReader.TryReadFrame"/> only).</summary>
    Incomplete,
    Frame,
    Error,

    /// <summary>The pending read was cancelled (<c>PipeReader.CancelPendingRead</c>); reading may go on.</summary>
    Canceled,

    /// <summary>The peer closed its side; every complete frame before it has been returned.</summary>
    Completed,
}
