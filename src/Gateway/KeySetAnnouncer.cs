using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// The key set (KEY_SET) one peer has been sent: a peer that learns keys gets it at WELCOME and then each change of
/// it, with the next packet it sends after this gateway read the change, so it learns a rotated key before that key
/// signs anything it checks.
/// </summary>
public sealed class KeySetAnnouncer(CoordinatorKeyRing keys)
{
    private int _announced = -1;

    /// <summary>Whether the set changed since this peer was last told.</summary>
    public bool Changed => _announced != keys.Version;

    /// <summary>The set to send now (null when there is none yet), signed by the key <paramref name="trustedKeyId"/> while it still signs.</summary>
    public KeySetPacket? Next(ReadOnlyMemory<byte> trustedKeyId)
    {
        int version = keys.Version;
        // Signed by the key the agent's handshake trusted, while it still verifies; once it retired, the agent has learned the active one.
        var signer = keys.StillSigning(trustedKeyId) ?? keys.Current;
        _announced = version; // also with no set yet: the next version brings one, and no packet signs in vain
        return keys.Announcement(signer);
    }
}
