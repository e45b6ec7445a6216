namespace P2PCluster.Protocol;

/// <summary>Outcome of looking for one frame at the start of a buffer.</summary>
public enum ParseStatus
{
    /// <summary>Not enough bytes yet; read more.</summary>
    Incomplete,
    /// <summary>A whole frame was parsed.</summary>
    Complete,
    /// <summary>The length field is below the header size.</summary>
    Malformed,
    /// <summary>The id is not defined by this protocol.</summary>
    UnknownId,
    /// <summary>The length field exceeds the limit; detected from the header alone.</summary>
    TooLarge,
}
