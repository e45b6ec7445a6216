using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>Conversions between host-agent packets and grain models.</summary>
public static class HostPackets
{
    public static RevokeMapPacket Revoke(MapRevocation r) => new(r.Map, (ulong)r.Epoch, (RevokeReason)r.Reason);

    public static AssignMapPacket Assign(MapOrder o) => new(o.Map, (ulong)o.Epoch, (ushort)Math.Clamp(o.MaxPlayers, 1, ushort.MaxValue));

    public static HostCapacity Capacity(in HostCapacityPacket p) =>
        new(p.MaxMaps, p.MaxPlayers, p.CpuLimitPercent, p.MemoryLimitPercent, (int)Math.Min(p.NetworkLimitMbps, int.MaxValue));

    /// <summary>Per-mille and kbit/s on the wire (<see cref="HeartbeatLoad"/> converts); percent and Mbit/s in the cluster. The codec has rejected invalid map names.</summary>
    public static HostHeartbeat Heartbeat(in HeartbeatPacket p) =>
        new(HostLoad.Of(new HeartbeatLoad(p.CpuPermille, p.MemoryPermille, p.NetworkKbps), p.Maps.Sum(m => m.Players)),
            [.. p.Maps.Select(m => new MapInstanceReport(m.Map, (long)Math.Min(m.Epoch, long.MaxValue), (MapInstanceState)m.State, m.Players))]);
}
