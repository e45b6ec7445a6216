using System.Buffers;
using System.Buffers.Binary;

namespace P2PCluster.Protocol;

/// <summary>One measured round trip to a host.</summary>
public readonly record struct HostLatency(string HostId, ushort RoundTripMs);

/// <summary>
/// 0x5206 LATENCY_REPORT, game client → coordinator: round trips the client measured to hosts (at most 16). Placement
/// scores a host's latency from what players report (docs/placement.md). No answer.
/// </summary>
public readonly record struct LatencyReportPacket(IReadOnlyList<HostLatency> Hosts) : IPacket<LatencyReportPacket>
{
    public const int MaxHosts = 16;

    public static PacketId Id => PacketId.LatencyReport;
    public int BodyLength => 1 + (Hosts ?? []).Sum(h => WireText.Size(h.HostId) + 2);

    public void WriteBody(Span<byte> d)
    {
        var hosts = Hosts ?? [];
        if (hosts.Count > MaxHosts) throw new ArgumentException($"at most {MaxHosts} hosts per report");
        d[0] = (byte)hosts.Count;
        int at = 1;
        foreach (var h in hosts)
        {
            at += WireText.Write(d[at..], h.HostId);
            BinaryPrimitives.WriteUInt16LittleEndian(d[at..], h.RoundTripMs);
            at += 2;
        }
    }

    public static bool TryRead(ReadOnlySequence<byte> body, out LatencyReportPacket packet)
    {
        packet = default;
        var r = new SequenceReader<byte>(body);
        if (!r.TryReadU8(out byte count) || count > MaxHosts) return false;
        var hosts = new HostLatency[count];
        for (int i = 0; i < count; i++)
        {
            if (!WireText.TryRead(ref r, out string host) || !r.TryReadU16(out ushort rtt) || !HostIds.IsValid(host)) return false;
            hosts[i] = new HostLatency(host, rtt);
        }
        if (!r.End) return false;
        packet = new LatencyReportPacket(hosts);
        return true;
    }

    public bool Equals(LatencyReportPacket other) => (Hosts ?? []).SequenceEqual(other.Hosts ?? []);

    public override int GetHashCode() => (Hosts ?? []).Count;
}
