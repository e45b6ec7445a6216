namespace P2PCluster.Protocol.Rathena;

/// <summary>
/// Which of rAthena's two layouts a client expects for the handoff packets. rAthena picks one at compile time from
/// <c>PACKETVER</c>; we pick per client with <see cref="RathenaHandoff.VariantFor"/>.
/// </summary>
public enum HandoffVariant : byte
{
    /// <summary>0x0071 / 0x0092, 28 bytes: clients dated before 2017-03-15.</summary>
    Classic = 0,

    /// <summary>0x0AC5 / 0x0AC7, 156 bytes: the classic fields plus a 128-byte domain field, sent empty; clients dated 2017-03-15 or later.</summary>
    Extended = 1,
}
