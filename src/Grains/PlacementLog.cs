using P2PCluster.Grains.Interfaces.Admin;

namespace P2PCluster.Grains;

/// <summary>The last <see cref="Capacity"/> committed placements, cluster-wide, in memory: operators' "recent placements" of a host.</summary>
public sealed class PlacementLog
{
    public const int Capacity = 2000;

    private readonly PlacementRecord?[] _ring = new PlacementRecord?[Capacity];
    private int _next;

    public void Add(PlacementRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _ring[_next] = record;
        _next = (_next + 1) % Capacity;
    }

    /// <summary>The newest placements onto <paramref name="hostId"/>, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<PlacementRecord> Recent(string hostId, int limit)
    {
        var result = new List<PlacementRecord>();
        for (int i = 1; i <= Capacity && result.Count < limit; i++)
        {
            var record = _ring[(_next - i + Capacity) % Capacity];
            if (record is null) break;
            if (string.Equals(record.HostId, hostId, StringComparison.Ordinal)) result.Add(record);
        }
        return result;
    }
}
