using System.Collections.Concurrent;

namespace P2PCluster.Grains.Tests;

/// <summary>Grains whose state writes a test makes fail, as a database that went away would.</summary>
public sealed class StorageFaults
{
    private readonly ConcurrentDictionary<GrainId, byte> _failing = new();

    public void FailWritesOf(GrainId grain) => _failing[grain] = 0;

    public void Heal(GrainId grain) => _failing.TryRemove(grain, out _);

    public bool Fails(GrainId grain) => _failing.ContainsKey(grain);
}
