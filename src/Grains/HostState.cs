using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains;

/// <summary>Persisted state of a <see cref="HostGrain"/>.</summary>
[GenerateSerializer, Alias("p2p.HostState.v1")]
public sealed class HostState
{
    [Id(0)] public byte[]? PublicKey { get; set; }
    [Id(1)] public HostKind Kind { get; set; }
    [Id(2)] public HostStatus Status { get; set; } = HostStatus.Offline;
    [Id(3)] public string? Endpoint { get; set; }

    /// <summary>Map name → epoch under which this host holds it.</summary>
    [Id(4)] public Dictionary<string, long> Maps { get; set; } = new(StringComparer.Ordinal);

    [Id(5)] public HostReliability Reliability { get; set; } = HostReliability.Empty;
    [Id(6)] public DateTimeOffset? OnlineSince { get; set; }

    /// <summary>Set while the host is draining, kept apart from <see cref="Status"/> so a reconnect does not undo it.</summary>
    [Id(7)] public bool Draining { get; set; }

    [Id(8)] public HostCapacity Capacity { get; set; } = HostCapacity.Default;

    /// <summary>Map name → max players, for re-sending an assignment the host did not report running.</summary>
    [Id(9)] public Dictionary<string, int> MaxPlayers { get; set; } = new(StringComparer.Ordinal);

    [Id(10)] public bool Approved { get; set; }

    /// <summary>
    /// Whether the liveness reminder is registered. Reminders are durable, so it is registered once, not on every
    /// connect (each registration is a reminder-table write; a reconnect storm would make one per host).
    /// </summary>
    [Id(11)] public bool LivenessReminder { get; set; }

    /// <summary>
    /// Maps this host has forgotten whose map grains have not confirmed yet that they were told
    /// (<see cref="HostLossOutbox"/>). Written with the change that forgot them, so a silo death cannot lose one.
    /// </summary>
    [Id(12)] public List<HostLoss> Losses { get; set; } = [];

    /// <summary>Ends the host's reliability session: its uptime is counted, and a <paramref name="failure"/> against it.</summary>
    public void CloseSession(DateTimeOffset now, bool failure, string? reason)
    {
        var r = Reliability;
        if (OnlineSince is { } since) r = r with { TotalUptime = r.TotalUptime + (now - since) };
        if (failure) r = r with { Failures = r.Failures + 1, LastFailureAt = now, LastFailureReason = reason };
        Reliability = r;
        OnlineSince = null;
    }

    /// <summary>A failure that does not end the session (players could not reach the host).</summary>
    public void CountFailure(DateTimeOffset now, string reason) =>
        Reliability = Reliability with { Failures = Reliability.Failures + 1, LastFailureAt = now, LastFailureReason = reason };

    /// <summary>The database proxy refused a write from this host.</summary>
    public void CountRejectedWrite(DateTimeOffset now, string reason) =>
        Reliability = Reliability with { RejectedWrites = Reliability.RejectedWrites + 1, LastFailureAt = now, LastFailureReason = reason };

    /// <summary>A copy that shares nothing mutable with this one (the records it holds are immutable).</summary>
    public HostState Copy()
    {
        var copy = (HostState)MemberwiseClone();
        copy.Maps = new Dictionary<string, long>(Maps, StringComparer.Ordinal);
        copy.MaxPlayers = new Dictionary<string, int>(MaxPlayers, StringComparer.Ordinal);
        copy.Losses = [.. Losses];
        return copy;
    }
}
