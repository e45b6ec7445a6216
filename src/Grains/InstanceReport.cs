using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>One instance state on its way from a host grain to a map grain (<see cref="InstanceStateOutbox"/>).</summary>
public sealed class InstanceReport(long epoch, MapInstanceState state, int port, long sequence)
{
    public long Epoch { get; } = epoch;
    public MapInstanceState State { get; } = state;
    public int Port { get; } = port;
    public long Sequence { get; } = sequence;
    public DateTimeOffset SentAt { get; set; }
    public bool Confirmed { get; set; }
}
