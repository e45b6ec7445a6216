namespace P2PCluster.HostAgent.Coordinator;

/// <summary>How the agent paces reconnects and decides a silent coordinator is gone.</summary>
public sealed record AgentTimings
{
    /// <summary>First reconnect delay ceiling; it doubles per failed attempt up to <see cref="MaxReconnectDelay"/>, each delay drawn between zero and it (Backoff).</summary>
    public TimeSpan InitialReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>After an error the coordinator would only repeat (wrong pinned key, identity rejected, banned…).</summary>
    public TimeSpan RetryAfterRefusal { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Connect plus handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A session that hears nothing from the coordinator (no HEARTBEAT_ACK) for this long is dropped and reconnected:
    /// a half-open TCP connection would otherwise look alive for many minutes. Null: ten heartbeats, at least 10 s.
    /// </summary>
    public TimeSpan? SilenceTimeout { get; init; }

    /// <summary>How long a map instance waits for the coordinator's CLAIM_RESULT before it turns the player away with Unavailable.</summary>
    public TimeSpan ClaimTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long one database proxy request may take, retries over a dropped connection included, before the caller
    /// is told Unavailable (the map instance then carries on: the coordinator's session still holds the state).
    /// </summary>
    public TimeSpan DbRequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a database proxy request waits for a connection when none is up, so a proxy that is down costs little.</summary>
    public TimeSpan DbConnectWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A PING on an idle database proxy connection this often; no PONG within the handshake timeout drops it (half-open TCP).</summary>
    public TimeSpan DbKeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long shutdown waits to tell the coordinator which maps stopped before it says BYE.</summary>
    public TimeSpan ShutdownReportTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
