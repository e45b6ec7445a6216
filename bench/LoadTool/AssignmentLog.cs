using System.Collections.Concurrent;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>Every ASSIGN_MAP any simulated host received: map, epoch, host and arrival time, first arrival of each.</summary>
public sealed class AssignmentLog
{
    private readonly ConcurrentDictionary<string, List<(ulong Epoch, string Host, long At)>> _byMap = new(StringComparer.Ordinal);

    /// <summary>Fits <see cref="SimulatedHostOptions.OnAssign"/>.</summary>
    public void Record(SimulatedHost host, AssignMapPacket assign, long at)
    {
        var list = _byMap.GetOrAdd(assign.Map, _ => []);
        lock (list)
        {
            // A heartbeat answer may re-send an assignment; the first arrival is what counts.
            if (!list.Exists(e => e.Epoch == assign.Epoch && e.Host == host.HostId)) list.Add((assign.Epoch, host.HostId, at));
        }
    }

    /// <summary>When an assignment of <paramref name="map"/> newer than <paramref name="epoch"/> first reached a host other than <paramref name="formerHost"/>.</summary>
    public long? FirstMove(string map, ulong epoch, string formerHost)
    {
        if (!_byMap.TryGetValue(map, out var list)) return null;
        lock (list)
        {
            long? first = null;
            foreach (var e in list)
                if (e.Epoch > epoch && e.Host != formerHost && (first is null || e.At < first)) first = e.At;
            return first;
        }
    }
}
