using P2PCluster.Protocol;

namespace P2PCluster.Client;

/// <summary>How to connect: which coordinator keys to trust, in which role, proving which identity.</summary>
public sealed class CoordinatorConnectionOptions
{
    /// <summary>Raw 32-byte Ed25519 public keys of the coordinator (pinned; more than one during a key rotation).</summary>
    public required IReadOnlyList<byte[]> CoordinatorKeys { get; init; }

    public PeerRole Role { get; init; } = PeerRole.GameClient;

    /// <summary>The host agent's key; null connects anonymously.</summary>
    public SigningIdentity? Identity { get; init; }

    /// <summary>0 = P2P player PC, 1 = operator VPS (host agents only).</summary>
    public byte HostKind { get; init; }

    /// <summary>host:port players reach this host on (host agents only).</summary>
    public string Endpoint { get; init; } = "";

    /// <summary>Refuse a coordinator that runs without encryption (on by default; turn off only for development).</summary>
    public bool RequireEncryption { get; init; } = true;

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When set, a PING is sent this often while the session lasts, so a connection that waits between requests is not
    /// closed as idle (the gateway's <c>coordinator.client_idle_timeout_ms</c>, default 60 s). Null: none.
    /// </summary>
    public TimeSpan? KeepAlive { get; init; }

    /// <summary>
    /// Called (on the receive loop) with each KEY_SET the coordinator sends; the callee checks its signature. Setting it
    /// asks the coordinator for them (HELLO flag LearnsKeySet; host agents get them anyway). KEY_SET never appears in
    /// <see cref="CoordinatorConnection.Incoming"/>. <see cref="CoordinatorTrust.Options"/> sets it.
    /// </summary>
    public Action<KeySetPacket>? OnKeySet { get; init; }

    /// <summary>
    /// Ask the coordinator to sign the handshake with the first of <see cref="CoordinatorKeys"/> while it still verifies
    /// (HELLO flag PrefersKey): how an agent that slept through a key switch, trusting only the old key, gets in to learn the new one.
    /// </summary>
    public bool PreferFirstKey { get; init; }
}
