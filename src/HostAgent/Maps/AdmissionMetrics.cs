using System.Collections.Concurrent;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Maps;

/// <summary>What an agent's map instances did with the players who knocked: how many they admitted, and refused per code. Thread-safe.</summary>
public sealed class AdmissionMetrics
{
    private readonly ConcurrentDictionary<ProtocolError, long> _refused = new();
    private long _admitted;

    public long Admitted => Interlocked.Read(ref _admitted);

    /// <summary>Refusals so far, per code.</summary>
    public IReadOnlyDictionary<ProtocolError, long> Refusals => new Dictionary<ProtocolError, long>(_refused);

    public long RefusedWith(ProtocolError code) => _refused.GetValueOrDefault(code);

    public void OnAdmitted() => Interlocked.Increment(ref _admitted);

    /// <summary>Counts one refusal; returns how many refusals with <paramref name="code"/> there have been, this one included.</summary>
    public long OnRefused(ProtocolError code) => _refused.AddOrUpdate(code, 1, (_, count) => count + 1);
}
