namespace P2PCluster.Protocol;

/// <summary>Why a host refuses a ticket; each is also an ERROR code on the wire (<see cref="TicketErrors.ToProtocol"/>).</summary>
public enum TicketError
{
    None,
    Malformed,
    UnknownKey,
    BadSignature,
    Expired,
    NotYetValid,
    WrongHost,
    WrongEpoch,
    MapNotHosted,
    Replayed,
}

public static class TicketErrors
{
    public static ProtocolError ToProtocol(this TicketError error) => error switch
    {
        TicketError.None => ProtocolError.None,
        TicketError.Malformed => ProtocolError.TicketMalformed,
        TicketError.UnknownKey => ProtocolError.TicketUnknownKey,
        TicketError.BadSignature => ProtocolError.TicketBadSignature,
        TicketError.Expired => ProtocolError.TicketExpired,
        TicketError.NotYetValid => ProtocolError.TicketNotYetValid,
        TicketError.WrongHost => ProtocolError.TicketWrongHost,
        TicketError.WrongEpoch => ProtocolError.TicketWrongEpoch,
        TicketError.MapNotHosted => ProtocolError.TicketMapNotHosted,
        TicketError.Replayed => ProtocolError.TicketReplayed,
        _ => throw new ArgumentOutOfRangeException(nameof(error)),
    };
}
