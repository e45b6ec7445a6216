using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// A host grain's parts wired as the grain wires them, without Orleans: a hand-moved clock, a state whose write can be
/// made to fail (memory then goes back to what was written, as in the grain), timers that tick only when a test says,
/// and a connection, directory, reminder and map grains that record what they were told.
/// </summary>
public sealed class HostPartsRig : IDisposable
{
    public const string HostId = "host-rig";
    public static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private HostState _durable = new();

    public HostPartsRig(DistributionOptions? options = null)
    {
        Options = options ?? new DistributionOptions();
        var host = new HostGrainContext(HostId, () => State, WriteAsync, KeepReminderAsync, PublishAsync, () => StatusReports++, Time);
        Host = host;
        Liveness = new HostLiveness(Timer);
        Maps = new EpochLedger(() => State);
        var outbox = new HostLossOutbox(HostId, loss =>
        {
            Told.Add(loss);
            return Task.CompletedTask;
        }, Time, Logger);
        Losses = new HostLossDelivery(outbox, () => State, WriteAsync, Timer);
        Evacuation = new HostEvacuation(host, Maps, Link, Losses, new DistributionMetrics(_services.GetRequiredService<IMeterFactory>(), Tallies));
        Failover = new HostFailover(host, Liveness, Link, Evacuation, Options, Logger);
        Operator = new HostOperatorActions(host, Link, Evacuation, Options.RequireApproval);
        Witnesses = new HostWitnesses(host, Maps, Players, Losses, Evacuation, Tallies, Options, Logger);
    }

    public DistributionOptions Options { get; }
    public FakeTimeProvider Time { get; } = new(T0);
    public RecordingLogger Logger { get; } = new();
    public ClusterTallies Tallies { get; } = new();
    public HostState State { get; private set; } = new();
    public HostGrainContext Host { get; }
    public HostLink Link { get; } = new();
    public PlayerReports Players { get; } = new();
    public HostLiveness Liveness { get; }
    public EpochLedger Maps { get; }
    public HostLossDelivery Losses { get; }
    public HostEvacuation Evacuation { get; }
    public HostFailover Failover { get; }
    public HostOperatorActions Operator { get; }
    public HostWitnesses Witnesses { get; }
    public RecordingConnection Connection { get; } = new();

    /// <summary>Timers the parts started, in order; a test ticks one with <see cref="RigTimer.TickAsync"/>.</summary>
    public List<RigTimer> Timers { get; } = [];

    /// <summary>What map grains were told (HostLostAsync).</summary>
    public List<HostLoss> Told { get; } = [];

    /// <summary>Directory refreshes asked for (true: forced).</summary>
    public List<bool> Publishes { get; } = [];

    public int Writes { get; private set; }
    public int Reminders { get; private set; }
    public int StatusReports { get; private set; }
    public bool FailWrites { get; set; }

    /// <summary>What a failed write throws (<see cref="FailWrites"/>).</summary>
    public Func<Exception> WriteFailure { get; set; } = () => new InvalidOperationException("storage down");

    /// <summary>A host that registered and holds <paramref name="maps"/> (epochs 1, 2, …), as stored.</summary>
    public HostPartsRig Online(params string[] maps)
    {
        State.Status = HostStatus.Online;
        State.OnlineSince = Time.GetUtcNow();
        State.Endpoint = "192.0.2.1:5121";
        for (int i = 0; i < maps.Length; i++) Maps.Add(maps[i], i + 1, 100);
        _durable = State.Copy();
        Link.Registered(Guid.NewGuid());
        Link.Attach(Connection, Guid.Empty);
        Liveness.Activated(Time.GetUtcNow(), owesGrace: false, TimeSpan.Zero);
        Liveness.Connecting(Time.GetUtcNow());
        Liveness.Connected();
        return this;
    }

    /// <summary>The failovers counted so far, by cause label.</summary>
    public IReadOnlyDictionary<string, int> Failovers() => Tallies.Drain(Time.GetUtcNow()).Failovers;

    public void Dispose() => _services.Dispose();

    private Task WriteAsync()
    {
        Writes++;
        if (FailWrites)
        {
            State = _durable.Copy();
            throw WriteFailure();
        }
        _durable = State.Copy();
        return Task.CompletedTask;
    }

    private Task KeepReminderAsync()
    {
        if (State.LivenessReminder) return Task.CompletedTask;
        Reminders++;
        State.LivenessReminder = true;
        return Task.CompletedTask;
    }

    private Task PublishAsync(bool force)
    {
        Publishes.Add(force);
        return Task.CompletedTask;
    }

    private IGrainTimer Timer(Func<Task> tick, TimeSpan due, TimeSpan period)
    {
        var timer = new RigTimer(tick, due, period, Time);
        Timers.Add(timer);
        return timer;
    }
}
