using System.ComponentModel.DataAnnotations;

namespace P2PCluster.Hosting;

/// <summary><c>coordinator:</c> the gateway's listeners (seed keys and defaults).</summary>
[ConfigSection("coordinator")]
public sealed class CoordinatorOptions : IValidatableObject
{
    [ConfigKey("port"), Range(1, 65535, ErrorMessage = "must be a TCP port between {1} and {2}")]
    public int Port { get; set; } = 5121;

    [ConfigKey("db_proxy_port"), Range(1, 65535, ErrorMessage = "must be a TCP port between {1} and {2}")]
    public int DbProxyPort { get; set; } = 5122;

    [ConfigKey("max_connections"), Range(1, 1_000_000, ErrorMessage = "must be between {1} and {2}")]
    public int MaxConnections { get; set; } = 1000;

    /// <summary>IP address the gateway listens on; players' PCs reach it from the internet, hence all interfaces by default.</summary>
    [ConfigKey("bind_address")]
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Whether a silo runs the gateway listener itself (false when stand-alone gateways front the cluster).</summary>
    [ConfigKey("hosted_gateway")]
    public bool HostedGateway { get; set; } = true;

    /// <summary>
    /// Handshakes under way at once (HELLO read, WELCOME not yet sent): the gateway's admission control. A HELLO beyond
    /// it waits for a slot up to half of <see cref="HandshakeTimeoutMs"/>, then is answered with ServerBusy before any
    /// crypto or grain call, so a reconnect storm is served at the rate slots free up and the rest turns into cheap
    /// refusals the agents back off from, instead of registrations that all miss the handshake deadline. 0: derived
    /// from the processor count (<see cref="EffectiveMaxPendingHandshakes"/>).
    /// </summary>
    [ConfigKey("max_pending_handshakes"), Range(0, 1_000_000, ErrorMessage = "must be between {1} and {2} (0: derived from the CPU cores)")]
    public int MaxPendingHandshakes { get; set; }

    /// <summary>Pending handshakes allowed per processor when <see cref="MaxPendingHandshakes"/> is 0.</summary>
    public const int PendingHandshakesPerProcessor = 32;

    /// <summary>The limit in force: <see cref="MaxPendingHandshakes"/>, or <see cref="PendingHandshakesPerProcessor"/> per processor, never above <see cref="MaxConnections"/>.</summary>
    public int EffectiveMaxPendingHandshakes =>
        MaxPendingHandshakes > 0 ? MaxPendingHandshakes : Math.Min(MaxConnections, PendingHandshakesPerProcessor * Environment.ProcessorCount);

    /// <summary>A connection that has not completed the handshake by then is closed (slowloris).</summary>
    [ConfigKey("handshake_timeout_ms"), Range(100, 120_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int HandshakeTimeoutMs { get; set; } = 5000;

    /// <summary>Largest frame accepted after the handshake, in bytes.</summary>
    [ConfigKey("max_frame_size"), Range(512, 65_515, ErrorMessage = "must be between {1} and {2} bytes")]
    public int MaxFrameSize { get; set; } = 16 * 1024;

    /// <summary>Per-connection request rate; bursts of two seconds' worth are allowed.</summary>
    [ConfigKey("max_frames_per_second"), Range(1, 1_000_000, ErrorMessage = "must be between {1} and {2}")]
    public int MaxFramesPerSecond { get; set; } = 1000;

    /// <summary>
    /// Connections one source address may hold at once (both ports, every role); the next is answered ServerBusy at
    /// accept. Never above <see cref="MaxConnections"/> in effect (<see cref="EffectiveMaxConnectionsPerAddress"/>).
    /// </summary>
    [ConfigKey("max_connections_per_address"), Range(1, 1_000_000, ErrorMessage = "must be between {1} and {2}")]
    public int MaxConnectionsPerAddress { get; set; } = 32;

    public int EffectiveMaxConnectionsPerAddress => Math.Min(MaxConnectionsPerAddress, MaxConnections);

    /// <summary>
    /// Percent of <see cref="MaxConnections"/> (and of the pending handshakes) that game clients and tools may not take:
    /// only host agents can, so hosts can always reconnect while players flood. Rounded down (<see cref="HostReservedConnections"/>).
    /// </summary>
    [ConfigKey("host_reserve_percent"), Range(0, 90, ErrorMessage = "must be between {1} and {2} percent")]
    public int HostReservePercent { get; set; } = 10;

    /// <summary>Connections only host agents may take.</summary>
    public int HostReservedConnections => (int)((long)MaxConnections * HostReservePercent / 100);

    /// <summary>Connections game clients and tools may hold together: the rest are reserved for host agents.</summary>
    public int MaxClientConnections => MaxConnections - HostReservedConnections;

    /// <summary>An Established game-client or tool connection (anonymous or logged in) that sends no complete frame this long is closed with IdleTimeout.</summary>
    [ConfigKey("client_idle_timeout_ms"), Range(1000, 3_600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int ClientIdleTimeoutMs { get; set; } = 60_000;

    /// <summary>The same for an Established host-agent connection at the gateway port (agents HEARTBEAT every second by default).</summary>
    [ConfigKey("host_idle_timeout_ms"), Range(1000, 3_600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int HostIdleTimeoutMs { get; set; } = 30_000;

    /// <summary>The same for a host agent's database-proxy connection (agents PING it every 15 s).</summary>
    [ConfigKey("db_proxy_idle_timeout_ms"), Range(1000, 3_600_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int DbProxyIdleTimeoutMs { get; set; } = 60_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!System.Net.IPAddress.TryParse(BindAddress, out _))
            yield return new ValidationResult("must be an IP address literal (0.0.0.0 for all interfaces)", [nameof(BindAddress)]);
        if (MaxPendingHandshakes > MaxConnections)
            yield return new ValidationResult($"must not exceed coordinator.max_connections ({MaxConnections}): every pending handshake holds a connection", [nameof(MaxPendingHandshakes)]);
    }
}
