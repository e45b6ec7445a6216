using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// The map instances this host runs, each under the epoch of its latest assignment. Applies ASSIGN_MAP and
/// REVOKE_MAP with epoch fencing, refuses more than <c>node.max_maps</c>, and queues every state change as a
/// MAP_STATE on <see cref="States"/> for whichever coordinator session is up. Instances outlive sessions: when the
/// coordinator connection drops they keep running, and the next heartbeat tells the coordinator what runs.
/// </summary>
public sealed partial class MapHost(MapInstanceFactory factory, PortAllocator ports, int maxMaps, int maxPlayers, ILogger<MapHost> logger)
{
    private sealed class Entry(IMapInstance instance, ulong epoch, long term)
    {
        public IMapInstance Instance { get; } = instance;
        public long Term { get; } = term; // the lease term the instance was created under
        public ulong Epoch { get; set; } = epoch; // guarded by _lock
    }

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _maps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> _stopping = new();
    private readonly Channel<MapStatePacket> _states = Channel.CreateUnbounded<MapStatePacket>(new UnboundedChannelOptions { SingleReader = true });
    private bool _closed;

    /// <summary>MAP_STATE packets in the order the changes happened.</summary>
    public ChannelReader<MapStatePacket> States => _states.Reader;

    /// <summary>Every instance with its epoch, state and players, for the heartbeat.</summary>
    public IReadOnlyList<MapReport> Report()
    {
        lock (_lock)
            return _maps.OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => new MapReport(m.Key, m.Value.Epoch, m.Value.Instance.State, (ushort)Math.Min(m.Value.Instance.Players, ushort.MaxValue)))
                .ToArray();
    }

    /// <summary>
    /// Starts <paramref name="assign"/>'s map, or moves a running instance of it to the newer epoch (it keeps
    /// running); an assignment older than the instance's epoch is ignored. Returns once the instance runs or failed.
    /// </summary>
    public async Task AssignAsync(AssignMapPacket assign, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_lock)
        {
            if (_maps.TryGetValue(assign.Map, out var existing))
            {
                if (existing.Epoch > assign.Epoch)
                {
                    LogStaleAssign(logger, assign.Map, assign.Epoch, existing.Epoch);
                    return;
                }
                if (existing.Epoch < assign.Epoch)
                {
                    LogEpochReplaced(logger, assign.Map, assign.Epoch, existing.Epoch);
                    existing.Epoch = assign.Epoch;
                }
                Publish(assign.Map, existing);
                return;
            }
            string? refusal = _closed ? "the agent is shutting down"
                : !IsValidName(assign.Map) ? "the map name is empty or holds control characters or spaces"
                : _maps.Count >= maxMaps ? $"node.max_maps = {maxMaps} maps run already"
                : null;
            int? port = refusal is null ? ports.Reserve() : null;
            if (refusal is null && port is null) refusal = "no free port in maps.port_range_start..port_range_end";
            if (refusal is not null)
            {
                Fail(assign.Map, assign.Epoch, refusal);
                return;
            }
            int players = assign.MaxPlayers == 0 ? maxPlayers : Math.Min(assign.MaxPlayers, maxPlayers);
            Entry? created = null;
            // Read before the instance reads it: if a new term began in between, the entry looks lapsed and is stopped,
            // never the other way round (an instance closed for good that nobody stops).
            long term = factory.Lease?.Term ?? 0;
            var instance = factory.Create(assign.Map, port!.Value, players, () => { lock (_lock) return created!.Epoch; });
            created = entry = new Entry(instance, assign.Epoch, term);
            _maps[assign.Map] = entry;
            Publish(assign.Map, entry);
        }

        try
        {
            await entry.Instance.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is MapStartException or OperationCanceledException)
        {
            lock (_lock)
            {
                if (_maps.GetValueOrDefault(assign.Map) == entry) _maps.Remove(assign.Map);
            }
            ports.Release(entry.Instance.Port);
            Fail(assign.Map, entry.Epoch, e.Message);
            return;
        }
        entry.Instance.StateChanged += _ => OnStateChanged(assign.Map, entry);
        bool current;
        lock (_lock) current = _maps.GetValueOrDefault(assign.Map) == entry;
        if (current) OnStateChanged(assign.Map, entry);
    }

    /// <summary>
    /// Stops the map's instance if it runs under <paramref name="revoke"/>'s epoch or an older one (a revoke older than
    /// the instance is ignored), then queues MAP_STATE Stopped. A revoke for a map not running is answered Stopped at once.
    /// </summary>
    public void Revoke(RevokeMapPacket revoke)
    {
        Entry? entry;
        lock (_lock)
        {
            if (!_maps.TryGetValue(revoke.Map, out entry))
            {
                _states.Writer.TryWrite(new MapStatePacket(revoke.Map, revoke.Epoch, MapRunState.Stopped, 0));
                return;
            }
            if (entry.Epoch > revoke.Epoch)
            {
                LogStaleRevoke(logger, revoke.Map, revoke.Epoch, entry.Epoch);
                return;
            }
            _maps.Remove(revoke.Map);
        }
        Track(StopAsync(revoke.Map, entry, $"revoked: {revoke.Reason}"));
    }

    /// <summary>Stops every instance (and waits for stops already under way); later assignments are refused.</summary>
    public async Task StopAllAsync()
    {
        List<KeyValuePair<string, Entry>> all;
        lock (_lock)
        {
            _closed = true;
            all = [.. _maps];
            _maps.Clear();
        }
        foreach (var (map, entry) in all) Track(StopAsync(map, entry, "shutdown"));
        await Task.WhenAll(_stopping.Keys);
    }

    /// <summary>
    /// The maps whose instances may no longer serve: the lease ran out, or was granted again in a newer term than the
    /// one the instance was created under (its <see cref="LeaseGate"/> is closed for good). Empty without a lease.
    /// </summary>
    public IReadOnlyList<string> Lapsed()
    {
        if (factory.Lease is not { } lease) return [];
        lock (_lock)
            return _maps.Where(m => IsLapsed(lease, m.Value)).Select(m => m.Key).OrderBy(m => m, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Stops the instances of <paramref name="names"/> that are still lapsed (players disconnected, MAP_STATE Stopped
    /// queued) but, unlike <see cref="StopAllAsync"/>, takes assignments again later (docs/placement.md, "Leases").
    /// Completes once they have stopped.
    /// </summary>
    public async Task StopServingAsync(IReadOnlyList<string> names, string reason)
    {
        List<KeyValuePair<string, Entry>> lapsed = [];
        lock (_lock)
        {
            foreach (var name in names)
                if (_maps.TryGetValue(name, out var entry) && (factory.Lease is not { } lease || IsLapsed(lease, entry)))
                {
                    _maps.Remove(name);
                    lapsed.Add(new(name, entry));
                }
        }
        var stops = lapsed.Select(m => StopAsync(m.Key, m.Value, reason)).ToList();
        foreach (var stop in stops) Track(stop);
        await Task.WhenAll(stops);
    }

    private static bool IsLapsed(ILeaseCheck lease, Entry entry) => !lease.Valid || lease.Term != entry.Term;

    /// <summary>Completes when every revoked instance has stopped (tests, shutdown).</summary>
    public Task WhenStoppedAsync() => Task.WhenAll(_stopping.Keys);

    private void Track(Task stop)
    {
        _stopping[stop] = true;
        _ = stop.ContinueWith(t => _stopping.TryRemove(t, out _), TaskScheduler.Default);
    }

    private async Task StopAsync(string map, Entry entry, string reason)
    {
        await Task.Yield(); // never stop on the caller's thread: it is the session's receive loop
        await entry.Instance.StopAsync();
        ports.Release(entry.Instance.Port);
        ulong epoch;
        lock (_lock) epoch = entry.Epoch;
        LogStopped(logger, map, epoch, reason);
        _states.Writer.TryWrite(new MapStatePacket(map, epoch, MapRunState.Stopped, 0));
    }

    private void OnStateChanged(string map, Entry entry)
    {
        lock (_lock)
        {
            if (_maps.GetValueOrDefault(map) != entry) return; // revoked or stopping: Stopped follows
            // Logged before it is queued, so whoever sees the MAP_STATE can also find the line.
            if (entry.Instance.State == MapRunState.Running) LogRunning(logger, map, entry.Instance.Port, entry.Epoch);
            Publish(map, entry);
        }
    }

    /// <summary>Queues the entry's current state. Called under the lock, so a state and an epoch change cannot cross.</summary>
    private void Publish(string map, Entry entry)
    {
        var state = entry.Instance.State;
        _states.Writer.TryWrite(new MapStatePacket(map, entry.Epoch, state, state == MapRunState.Running ? (ushort)entry.Instance.Port : (ushort)0));
    }

    private void Fail(string map, ulong epoch, string reason)
    {
        LogFailed(logger, map, epoch, reason);
        _states.Writer.TryWrite(new MapStatePacket(map, epoch, MapRunState.Failed, 0));
    }

    private static bool IsValidName(string map) => map.Length > 0 && !map.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));

    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "Map {Map} running on port {Port} (epoch {Epoch})")]
    private static partial void LogRunning(ILogger logger, string map, int port, ulong epoch);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Map {Map} stopped (epoch {Epoch}, {Reason})")]
    private static partial void LogStopped(ILogger logger, string map, ulong epoch, string reason);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Map {Map} failed (epoch {Epoch}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string map, ulong epoch, string reason);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Information, Message = "Map {Map} now runs under epoch {Epoch} (was {Previous})")]
    private static partial void LogEpochReplaced(ILogger logger, string map, ulong epoch, ulong previous);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Warning, Message = "Map {Map}: ignored ASSIGN for epoch {Epoch}, older than the running epoch {Current}")]
    private static partial void LogStaleAssign(ILogger logger, string map, ulong epoch, ulong current);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Information, Message = "Map {Map}: ignored REVOKE for epoch {Epoch}, older than the running epoch {Current}")]
    private static partial void LogStaleRevoke(ILogger logger, string map, ulong epoch, ulong current);
}
