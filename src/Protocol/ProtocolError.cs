namespace P2PCluster.Protocol;

/// <summary>Error codes carried by <see cref="ErrorPacket"/>; stable across versions (docs/protocol.md).</summary>
public enum ProtocolError : ushort
{
    None = 0,
    Malformed = 1,
    FrameTooLarge = 2,
    UnknownPacket = 3,
    UnexpectedPacket = 4,
    UnsupportedVersion = 5,
    EncryptionRequired = 6,
    DecryptFailed = 7,
    BadSignature = 8,
    HandshakeTimeout = 9,
    RateLimited = 10,
    ServerBusy = 11,
    IdentityRejected = 12,
    Internal = 13,
    ShuttingDown = 14,
    Unavailable = 15,
    Truncated = 16,
    IdleTimeout = 17,
    SessionReplaced = 18,

    // 32–47: a host refusing a player's ticket (docs/protocol.md, "Tickets").
    TicketMalformed = 32,
    TicketUnknownKey = 33,
    TicketBadSignature = 34,
    TicketExpired = 35,
    TicketNotYetValid = 36,
    TicketWrongHost = 37,
    TicketWrongEpoch = 38,
    TicketMapNotHosted = 39,
    TicketReplayed = 40,

    /// <summary>Codes from 256 up are the cluster's <c>ClusterError</c> + 256.</summary>
    ClusterBase = 256,
}
