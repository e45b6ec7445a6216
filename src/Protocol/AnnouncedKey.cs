namespace P2PCluster.Protocol;

/// <summary>
/// One coordinator key in a KEY_SET announcement: trusted from now on unless <paramref name="Revoked"/>, until
/// <paramref name="RetireMs"/> (Unix ms; 0 = no date yet). <paramref name="ActivateMs"/> is when it signs (or signed) from.
/// </summary>
public readonly record struct AnnouncedKey(ReadOnlyMemory<byte> PublicKey, ulong ActivateMs, ulong RetireMs, bool Revoked)
{
    /// <summary>Bytes per key on the wire: key, activate, retire, flags.</summary>
    public const int WireLength = ProtocolLimits.KeyLength + 8 + 8 + 1;

    public const byte RevokedFlag = 0x01;

    /// <summary>Whether a signature by this key may be accepted at <paramref name="nowMs"/>.</summary>
    public bool TrustedAt(long nowMs) => !Revoked && (RetireMs == 0 || nowMs < (long)RetireMs);
}
