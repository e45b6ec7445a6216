namespace P2PCluster.Protocol;

/// <summary>Outcome of looking for one frame at the start of a buffer.</summary>
public enum ParseStatus
{
    /// <summary>Not enough bytes yet; read more.</summary>
    Incomplete,
    /// <summary>A whole frame was parsed.</summary>
    Complete,
    /// <summary>The bytes cannot be a packet: a frame's length field is below the header size, or a fixed-length rAthena packet holds a value we never write.</summary>
    Malformed,
    /// <summary>The id is not defined by this protocol (for an rAthena packet reader: not one of the ids it reads).</summary>
    UnknownId,
    /// <summary>The length field exceeds the limit; detected from the header alone.</summary>
    TooLarge,
}
