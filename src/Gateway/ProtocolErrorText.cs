using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>The ERROR message for a violation the frame reader or the handshake found, which carry only a code.</summary>
public static class ProtocolErrorText
{
    public static string Describe(ProtocolError error) => error switch
    {
        ProtocolError.Malformed => "malformed frame",
        ProtocolError.FrameTooLarge => "frame exceeds the size limit",
        ProtocolError.UnknownPacket => "unknown packet id",
        ProtocolError.UnexpectedPacket => "packet not valid in this state",
        ProtocolError.UnsupportedVersion => $"protocol version {ProtocolLimits.Version} only",
        ProtocolError.EncryptionRequired => "this server requires encryption",
        ProtocolError.DecryptFailed => "frame failed authentication (tampered, replayed or reordered)",
        _ => error.ToString(),
    };
}
