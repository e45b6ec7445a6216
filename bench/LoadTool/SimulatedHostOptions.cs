using System.Net;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// How a <see cref="SimulatedHost"/> behaves: where the gateway is and which key it pins, what it tells the cluster
/// (kind, HOST_CAPACITY), how often it heartbeats, and whether it redials on its own when the connection drops.
/// </summary>
public sealed record SimulatedHostOptions(IPEndPoint Gateway, byte[] CoordinatorKey)
{
    /// <summary>0 P2P, 1 VPS (IDENTIFY host_kind).</summary>
    public byte Kind { get; init; }

    public ushort MaxMaps { get; init; } = 5;
    public ushort MaxPlayers { get; init; } = 1000;
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Connect plus handshake (WELCOME), as the real agent's <c>AgentTimings.HandshakeTimeout</c>.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When set, a dropped connection is redialled after up to this delay, the ceiling doubling after each failed attempt up to 10 s,
    /// each drawn between zero and that ceiling (the real agent's backoff), until <see cref="SimulatedHost.DisposeAsync"/>. Null: the host stays down.
    /// </summary>
    public TimeSpan? Reconnect { get; init; }

    /// <summary>Load the heartbeats report: light, so no host counts as overloaded (the machine's real load is the tool's).</summary>
    public ushort CpuPermille { get; init; } = 100;

    /// <summary>Called for every ASSIGN_MAP, on the host's receive loop, with the arrival timestamp (<see cref="System.Diagnostics.Stopwatch"/>).</summary>
    public Action<SimulatedHost, AssignMapPacket, long>? OnAssign { get; init; }
}
