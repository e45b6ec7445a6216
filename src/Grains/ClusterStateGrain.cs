using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Storage;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;
using P2PCluster.Protocol;

namespace P2PCluster.Grains;

/// <summary>
/// See <see cref="IClusterStateGrain"/>. Refreshes its snapshot on a grain timer every <c>monitoring.metrics_interval</c>
/// and publishes it to this silo's <see cref="ClusterGauges"/>. Reentrant: a refresh waits on the host directory and
/// the membership, never blocking the reports that stream in meanwhile; the database probe runs off the grain
/// entirely (<see cref="DatabaseWatch"/>). Kept alive by its timer; every process's tally reports and a reminder
/// bring it back on a surviving silo after the one hosting it died.
/// </summary>
[Reentrant]
public sealed partial class ClusterStateGrain(
    IOptions<ClusterStateOptions> options,
    IOptions<DistributionOptions> distribution,
    ClusterGauges gauges,
    DatabaseWatch database,
    TimeProvider time,
    ILogger<ClusterStateGrain> logger) : Grain, IClusterStateGrain, IRemindable
{
    private const string KeepAliveReminder = "keepalive";
    private const string StateName = "clusterstate";

    private readonly ClusterBook _book = new(options.Value.DeadRetention);
    private ClusterSnapshot? _snapshot;
    private Task? _refresh;
    private IReadOnlyCollection<HostCandidate> _live = [];
    private int _silos;
    private int _savedVersion;
    // Read and written by hand rather than as [PersistentState]: that would be read during activation, and a database
    // that does not answer would keep the grain (and the database_unreachable alert it feeds) from activating at all.
    private readonly GrainState<ClusterStateRecord> _record = new(new ClusterStateRecord());
    private bool _restored;

    private IGrainStorage Storage => ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.State);

    private TimeSpan Interval => options.Value.Interval;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(_ => RefreshAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, Interval) { KeepAlive = true, Interleave = true });
        // Neither waited for: the reminder table or a map grain may be slow to answer, and nothing here needs them first.
        _ = EnsureReminderAsync();
        _ = RefillMapsAsync();
        _ = RestoreMarkedAsync();
        LogActivated(logger, RuntimeIdentity);
        return base.OnActivateAsync(cancellationToken);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        gauges.Withdraw(this); // another silo's activation counts from now on; this one must not report stale numbers
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async Task<ClusterSnapshot> GetSnapshotAsync()
    {
        if (_snapshot is not { } s || time.GetUtcNow() - s.TakenAt >= Interval) await RefreshAsync();
        return _snapshot!;
    }

    public Task ReportAsync(ClusterTally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        _book.Add(tally, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task HostStatusAsync(string hostId, HostKind kind, ClusterHostStatus? status, DateTimeOffset at)
    {
        Names.RequireHostId(hostId);
        _book.HostStatus(hostId, kind, status, at);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> MapNamesAsync() => Task.FromResult(_book.MapNames);

    public Task MapStateAsync(string map, ClusterMapState state, DateTimeOffset at)
    {
        Names.RequireMapName(map);
        _book.MapState(map, state, at);
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask; // being active is the point

    /// <summary>One refresh at a time; a caller arriving during one waits for it rather than starting another.</summary>
    private Task RefreshAsync()
    {
        if (_refresh is { IsCompleted: false } running) return running;
        return _refresh = RefreshCoreAsync();
    }

    private async Task RefreshCoreAsync()
    {
        database.Start(TimeSpan.FromMilliseconds(Math.Clamp(Interval.TotalMilliseconds, 2000, 10_000)));
        var live = GrainFactory.GetGrain<IHostDirectoryGrain>(0).ListAsync();
        var silos = GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        try
        {
            _live = await live;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            LogSourceFailed(logger, "host directory", e.GetType().Name); // the last list stands in until it answers again
        }
        try
        {
            _silos = (await silos).Count;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            LogSourceFailed(logger, "membership", e.GetType().Name);
        }
        var snapshot = _book.Build(time.GetUtcNow(), _live, _silos, database.DownSince);
        _snapshot = snapshot;
        // Valid for a few intervals: a silo whose activation stopped refreshing (or was dropped without deactivating)
        // stops reporting instead of repeating old numbers next to the new activation's.
        gauges.Publish(this, snapshot, 3 * Interval + TimeSpan.FromSeconds(1));
        await SaveMarkedAsync();
    }

    /// <summary>Writes the dead and banned hosts when they changed: at most once per refresh, retried on the next.</summary>
    private async Task SaveMarkedAsync()
    {
        if (!_restored && !await RestoreMarkedAsync()) return; // its ETag first, and what it holds
        int version = _book.MarkedVersion;
        if (version == _savedVersion) return;
        _record.State = new ClusterStateRecord { Hosts = [.. _book.Marked] };
        try
        {
            await Storage.WriteStateAsync(StateName, this.GetGrainId(), _record);
            _savedVersion = version;
        }
        catch (Exception e)
        {
            // Another activation may have written since (a duplicate while the cluster re-formed): read again first.
            _restored = e is not InconsistentStateException;
            LogSaveFailed(logger, e.GetType().Name);
        }
    }

    /// <summary>Reads the saved dead and banned hosts (a report heard since is newer and wins); false when storage did not answer.</summary>
    private async Task<bool> RestoreMarkedAsync()
    {
        try
        {
            await Storage.ReadStateAsync(StateName, this.GetGrainId(), _record);
        }
        catch (Exception e)
        {
            LogSaveFailed(logger, e.GetType().Name);
            return false;
        }
        foreach (var host in _record.State?.Hosts ?? []) _book.HostStatus(host.HostId, host.Kind, host.Status, host.At);
        _restored = true;
        return true;
    }

    private async Task EnsureReminderAsync()
    {
        try
        {
            if (await this.GetReminder(KeepAliveReminder) is null)
                await this.RegisterOrUpdateReminder(KeepAliveReminder, distribution.Value.ReminderPeriod, distribution.Value.ReminderPeriod);
        }
        catch (Exception e)
        {
            // The tally reports of every process re-activate the grain too; the next activation tries again.
            LogReminderFailed(logger, e.GetType().Name, e.Message);
        }
    }

    /// <summary>Asks every configured map for its state: pushes were lost with the previous activation.</summary>
    private async Task RefillMapsAsync()
    {
        var asked = time.GetUtcNow(); // a push sent after this is newer than the answer and wins
        foreach (var batch in options.Value.Maps.Chunk(64))
        {
            var answers = batch.Select(async name =>
            {
                try
                {
                    var info = await GrainFactory.GetGrain<IMapGrain>(name).GetAsync();
                    _book.MapState(name, MapStateReporter.Of(info.Status, info.Assignment, info.InstanceState), asked);
                }
                catch (Exception e)
                {
                    LogSourceFailed(logger, $"map {name}", e.GetType().Name); // its next change reports it
                }
            });
            await Task.WhenAll(answers);
        }
    }

    [LoggerMessage(EventId = 2450, Level = LogLevel.Information, Message = "Cluster state grain active on silo {Silo}; this silo reports the p2p_cluster_* gauges")]
    private static partial void LogActivated(ILogger logger, string silo);

    [LoggerMessage(EventId = 2451, Level = LogLevel.Warning, Message = "Cluster state: {Source} did not answer ({Error}); its last answer is used")]
    private static partial void LogSourceFailed(ILogger logger, string source, string error);

    [LoggerMessage(EventId = 2453, Level = LogLevel.Warning, Message = "Cluster state: the dead and banned hosts could not be read or saved ({Error}); retrying at the next refresh")]
    private static partial void LogSaveFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 2452, Level = LogLevel.Warning, Message = "Cluster state: the keep-alive reminder could not be registered ({Error}: {Message})")]
    private static partial void LogReminderFailed(ILogger logger, string error, string message);
}
