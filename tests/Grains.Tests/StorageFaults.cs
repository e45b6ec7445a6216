using System.Collections.Concurrent;

namespace P2PCluster.Grains.Tests;

/// <summary>Grains whose state writes, or reminder writes, a test makes fail, as a database that went away would.</summary>
public sealed class StorageFaults
{
    private readonly ConcurrentDictionary<GrainId, byte> _failing = new();
    private readonly ConcurrentDictionary<GrainId, byte> _failingReminders = new();
    private readonly ConcurrentDictionary<GrainId, int> _refused = new();

    public void FailWritesOf(GrainId grain) => _failing[grain] = 0;

    /// <summary>Registering or removing a reminder of <paramref name="grain"/> fails (<see cref="FaultyReminderTable"/>).</summary>
    public void FailReminderWritesOf(GrainId grain) => _failingReminders[grain] = 0;

    /// <summary>Both the state and the reminder writes of <paramref name="grain"/> succeed again.</summary>
    public void Heal(GrainId grain)
    {
        _failing.TryRemove(grain, out _);
        _failingReminders.TryRemove(grain, out _);
    }

    public bool Fails(GrainId grain) => _failing.ContainsKey(grain);

    public bool FailsReminders(GrainId grain) => _failingReminders.ContainsKey(grain);

    /// <summary>State writes of <paramref name="grain"/> refused so far.</summary>
    public int Refused(GrainId grain) => _refused.GetValueOrDefault(grain);

    public void CountRefused(GrainId grain) => _refused.AddOrUpdate(grain, 1, (_, n) => n + 1);
}
