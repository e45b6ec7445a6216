namespace P2PCluster.Protocol;

/// <summary>Sizes and limits fixed by protocol version 1.</summary>
public static class ProtocolLimits
{
    public const ushort Version = 1;
    public const int HeaderLength = 4;

    /// <summary>Largest frame accepted before the handshake completes: big enough for every handshake packet, no more.</summary>
    public const int HandshakeMaxFrame = 512;

    /// <summary>Default for established sessions (<c>coordinator.max_frame_size</c>).</summary>
    public const int DefaultMaxFrame = 16 * 1024;

    public const int KeyLength = 32;
    public const int SignatureLength = 64;
    public const int KeyIdLength = 8;
    public const int TagLength = 16;
    public const int NonceLength = 12;

    /// <summary>Bytes a sealed frame adds around its inner frame: the outer header and the AEAD tag.</summary>
    public const int SealOverhead = HeaderLength + TagLength;

    public const int MaxErrorMessageBytes = 256;
    public const int MaxEndpointBytes = 255;
}
