using Microsoft.Extensions.Logging;
using P2PCluster.Grains.Characters;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// The database proxy's checks (docs/database-proxy.md). They run here because this grain already knows where the
/// character is and, being single-threaded, puts one character's writes in one order; the store's version check
/// guards the same order durably, across silos. Once a character has left its map, the coordinator itself makes
/// rAthena's row follow the session: <c>online</c> = 0 and the session's place (<c>last_map</c>, <c>last_x</c>,
/// <c>last_y</c>) — a deposed host's own "offline" is refused (258 StaleEpoch), and rAthena refuses a second login of a
/// character it thinks online (rAthena #3894). Retried from a timer while the database fails, and from a reminder if
/// the silo dies first; never waited for in a grain turn.
/// </summary>
public sealed partial class PlayerSessionGrain
{
    private const int RecentKeys = 32;
    private StoredCharacter? _stored;                  // the row as last loaded or saved (deltas are checked against it)
    private DateTimeOffset _storedAt;                  // when it was saved (or loaded)
    private readonly Dictionary<string, long> _recentKeys = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentOrder = new();

    public async Task<CharacterLoad> LoadCharacterAsync(string hostId, string map, long epoch)
    {
        await RequirePlayerOnMapAsync(hostId, map, epoch, "load", key: null);
        var stored = await LoadStoredAsync(hostId, map, epoch, "load");
        return new CharacterLoad(stored.Data, stored.Version);
    }

    public async Task<long> SaveCharacterAsync(string hostId, string map, long epoch, long expectedVersion, byte[] key, CharacterSnapshot data)
    {
        ArgumentNullException.ThrowIfNull(data);
        RequireKey(key);
        if (_recentKeys.TryGetValue(Convert.ToHexString(key), out long done)) return done; // a retry of a save applied here
        await RequirePlayerOnMapAsync(hostId, map, epoch, "save", key);
        var stored = await LoadStoredAsync(hostId, map, epoch, "save");

        if (expectedVersion == stored.Version)
        {
            // Values are judged only for a write that could apply: a retry of one applied elsewhere (another silo,
            // before a restart) is recognised by its key in the store instead.
            if (rules.Value.OutOfBounds(map, data) is { } bounds)
                await RefuseAsync(hostId, map, epoch, key, "save", ClusterError.OutOfBounds, bounds);
            if (rules.Value.ImplausibleDelta(stored.Data, data, time.GetUtcNow() - _storedAt) is { } delta)
                await RefuseAsync(hostId, map, epoch, key, "save", ClusterError.ImplausibleDelta, delta);
        }
        return await WriteAsync(new CharacterWrite(CharId, hostId, map, epoch, key, expectedVersion, data, Online: null, "save"), stored);
    }

    public async Task<long> SetOnlineAsync(string hostId, string map, long epoch, bool online, byte[] key)
    {
        RequireKey(key);
        if (_recentKeys.TryGetValue(Convert.ToHexString(key), out long done)) return done;
        string operation = online ? "online" : OfflineOperation;
        await RequirePlayerOnMapAsync(hostId, map, epoch, operation, key);
        var stored = await LoadStoredAsync(hostId, map, epoch, operation);
        // The flag is not versioned by the host (it did not load one to change it): it applies on top of the current row.
        return await WriteAsync(new CharacterWrite(CharId, hostId, map, epoch, key, stored.Version, Data: null, online, operation), stored);
    }

    private async Task<long> WriteAsync(CharacterWrite write, StoredCharacter stored)
    {
        var outcome = await characters.WriteAsync(write);
        switch (outcome.Status)
        {
            case WriteStatus.Conflict:
                _stored = null; // reread next time: another writer moved it on
                ReportRejected(write.HostId, ClusterError.VersionConflict, $"char {CharId}: version is {outcome.Version}, not {write.ExpectedVersion}");
                throw new ClusterException(ClusterError.VersionConflict,
                    $"char {CharId} is at version {outcome.Version}, not {write.ExpectedVersion}: load it again");
            case WriteStatus.Applied:
                _character = null; // last_map and level may have changed: the next RESOLVE reads the row again
                _stored = write.Data is { } data ? stored with { LastMap = write.Map, Data = data, Version = outcome.Version } : stored with { Version = outcome.Version };
                _storedAt = time.GetUtcNow();
                break;
        }
        Remember(write.Key, outcome.Version);
        return outcome.Version;
    }

    private async Task<StoredCharacter> LoadStoredAsync(string hostId, string map, long epoch, string operation)
    {
        if (_stored is { } cached) return cached;
        var stored = await characters.LoadAsync(CharId);
        if (stored is null)
        {
            await RefuseAsync(hostId, map, epoch, key: null, operation, ClusterError.NotFound, $"char {CharId} does not exist");
            throw new System.Diagnostics.UnreachableException();
        }
        (_stored, _storedAt) = (stored, time.GetUtcNow());
        return stored;
    }

    /// <summary>The host must hold the map at the current epoch and the character must be a player on it there.</summary>
    private async Task RequirePlayerOnMapAsync(string hostId, string map, long epoch, string operation, byte[]? key)
    {
        Names.RequireHostId(hostId);
        Names.RequireMapName(map);
        if (epoch < 1) throw new ClusterException(ClusterError.InvalidArgument, $"epoch {epoch} must be positive");
        try
        {
            await Map(map).CheckEpochAsync(hostId, epoch);
        }
        catch (ClusterException e) when (e.Code == ClusterError.StaleEpoch)
        {
            await RefuseAsync(hostId, map, epoch, key, operation, ClusterError.StaleEpoch, e.Message);
        }
        var s = state.State;
        if (s.State is not (SessionState.OnMap or SessionState.Moving) || s.Map != map || s.HostId != hostId || s.Epoch != epoch)
        {
            // The place the session last ended at (an operator ended it, or its host was lost): that host has not heard
            // yet and is late, not wrong.
            bool late = _endedAt == new Place(hostId, map, epoch);
            await RefuseAsync(hostId, map, epoch, key, operation, ClusterError.NotOnMap,
                $"char {CharId} is not on {map} at host {hostId} under epoch {epoch} (it is {s.State}{(s.Map is null ? "" : $" on {s.Map}")})",
                report: !late);
        }
    }

    /// <summary>Where a character played: a host, its map and the epoch it held it under.</summary>
    private readonly record struct Place(string? HostId, string? Map, long Epoch);

    private Place? _endedAt; // in memory: where the session was when it last went offline

    /// <summary>
    /// Audits the refusal (committed before the host hears of it), reports it against the host, and throws its code.
    /// A goodbye ("offline") is the one refusal not reported: a host handing a player over in a drain or a planned move
    /// sends it after the map's epoch has moved on, doing nothing wrong, and the coordinator's session keeps the flag
    /// true from then on anyway. Saves and loads under a stale epoch are reported: they would lose or leak state.
    /// Nor is a write <paramref name="report"/> says is late (see <see cref="RequirePlayerOnMapAsync"/>).
    /// </summary>
    private async Task RefuseAsync(string hostId, string map, long epoch, byte[]? key, string operation, ClusterError code, string reason,
        bool report = true)
    {
        await characters.AuditRefusedAsync(new RefusedWrite(CharId, hostId, map, epoch, key, operation, code, reason));
        if (report && operation != OfflineOperation) ReportRejected(hostId, code, reason);
        throw new ClusterException(code, reason);
    }

    private const string OfflineOperation = "offline";

    private void ReportRejected(string hostId, ClusterError code, string reason) =>
        GrainFactory.GetGrain<IHostGrain>(hostId).ReportRejectedWriteAsync(code, reason).Ignore();

    private static void RequireKey(byte[] key)
    {
        if (key is not { Length: 16 }) throw new ClusterException(ClusterError.InvalidArgument, "an idempotency key is 16 bytes");
    }

    private void Remember(byte[] key, long version)
    {
        string hex = Convert.ToHexString(key);
        if (!_recentKeys.TryAdd(hex, version)) return;
        _recentOrder.Enqueue(hex);
        if (_recentOrder.Count > RecentKeys) _recentKeys.Remove(_recentOrder.Dequeue());
    }

    // rAthena's row follows the session once the character has left its map.
    private const string RowReminder = "row";

    /// <summary>How soon a failed row write is tried again while this activation lives.</summary>
    public static readonly TimeSpan RowRetry = TimeSpan.FromSeconds(2);

    private IGrainTimer? _rowSync;
    private bool _rowReminder;

    private void StartRowSync()
    {
        if (!state.State.RowPending || state.State.State != SessionState.Offline) return;
        if (_rowSync is not null) _rowSync.Change(TimeSpan.Zero, RowRetry);
        else _rowSync = this.RegisterGrainTimer(SyncRowAsync, new GrainTimerCreationOptions(TimeSpan.Zero, RowRetry) { KeepAlive = true });
    }

    private async Task SyncRowAsync(CancellationToken cancellationToken)
    {
        var s = state.State;
        if (s.RowPending && s.State == SessionState.Offline)
        {
            try
            {
                await WriteRowAsync();
            }
            catch (Exception e) when (e is ClusterException or OrleansException or TimeoutException)
            {
                LogRowFailed(logger, CharId, e.Message);
                await RemindAsync();
                return;
            }
        }
        _rowSync?.Dispose();
        _rowSync = null;
        await ForgetReminderAsync();
    }

    /// <summary>One attempt; the session takes the row's cell if a host saved one on the session's map.</summary>
    private async Task WriteRowAsync()
    {
        if (await characters.LoadAsync(CharId) is { } row)
        {
            var write = SessionPlaces.OfflineWrite(CharId, state.State, row, out var place);
            var outcome = await characters.WriteAsync(write);
            if (outcome.Status == WriteStatus.Conflict)
                throw new ClusterException(ClusterError.VersionConflict, $"char {CharId} was written meanwhile (version {outcome.Version}); read again next time");
            _stored = null;
            await CommitAsync(st =>
            {
                (st.RowPending, st.RowKey) = (false, null);
                if (place is not null && st.Character is { } c) (st.Character, st.CharacterMap) = (c with { X = place.X, Y = place.Y }, place.Map);
            });
        }
        else
        {
            await CommitAsync(st => (st.RowPending, st.RowKey) = (false, null)); // no row to tell
        }
        _character = null;
        LogRowWritten(logger, CharId);
    }

    /// <summary>The character's row as the proxy last loaded or saved it, read once if this activation has not yet.</summary>
    private async Task<StoredCharacter?> RowAsync()
    {
        if (_stored is { } cached) return cached;
        var row = await characters.LoadAsync(CharId);
        if (row is not null) (_stored, _storedAt) = (row, time.GetUtcNow());
        return row;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == RowReminder)
        {
            _rowReminder = true;
            if (state.State.RowPending) StartRowSync();
            else return ForgetReminderAsync();
        }
        return Task.CompletedTask;
    }

    /// <summary>A reminder outlives this silo; registered only once a write has failed, so the common case costs none.</summary>
    private async Task RemindAsync()
    {
        if (_rowReminder) return;
        try
        {
            await this.RegisterOrUpdateReminder(RowReminder, distribution.Value.ReminderPeriod, distribution.Value.ReminderPeriod);
            _rowReminder = true;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or ClusterException || StoreFailures.AsStoreUnavailable(e) is not null)
        {
            // The reminder table is in the same database; the timer keeps trying.
        }
    }

    private async Task ForgetReminderAsync()
    {
        if (!_rowReminder) return;
        try
        {
            if (await this.GetReminder(RowReminder) is { } reminder) await this.UnregisterReminder(reminder);
            _rowReminder = false;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or ClusterException || StoreFailures.AsStoreUnavailable(e) is not null)
        {
            // The next tick finds nothing pending and tries again.
        }
    }

    private IGrainTimer? _presence;
    private PresenceWatch? _presenceWatch;

    /// <summary>
    /// While the character is on a map, checks once per ticket lifetime that its host still holds the map under the
    /// session's epoch, and logs it out (rAthena's row with it) once <see cref="PresenceWatch"/> says it has left. No
    /// state write and no reminder: an activation timer, stopped when the character is not on a map.
    /// </summary>
    private void WatchPresence()
    {
        if (state.State.State == SessionState.OnMap)
        {
            var period = options.Value.TicketLifetime;
            _presenceWatch ??= new PresenceWatch(period);
            _presence ??= this.RegisterGrainTimer(CheckPresenceAsync, new GrainTimerCreationOptions(period, period));
            return;
        }
        _presence?.Dispose();
        _presence = null;
        _presenceWatch?.Reset();
    }

    private async Task CheckPresenceAsync(CancellationToken cancellationToken)
    {
        var s = state.State;
        if (s.State != SessionState.OnMap || _presenceWatch is not { } watch)
        {
            WatchPresence();
            return;
        }
        var started = time.GetUtcNow();
        var info = await Map(s.Map!).GetAsync();
        bool holds = info.Assignment is { } current && current.HostId == s.HostId && current.Epoch == s.Epoch;
        switch (watch.Checked(started, time.GetUtcNow(), holds))
        {
            case PresenceVerdict.WokeFromFreeze:
                LogPresenceWokeFromFreeze(logger, CharId, s.Map!);
                break;
            case PresenceVerdict.Gone:
                LogHostLost(logger, CharId, s.Map!, s.HostId!, s.Epoch);
                await LogoutAsync();
                break;
        }
    }

    [LoggerMessage(EventId = 2305, Level = LogLevel.Information,
        Message = "Char {CharId}: its presence check on {Map} woke after a freeze of this silo; the player gets a fresh ticket lifetime to come back through the map's host")]
    private static partial void LogPresenceWokeFromFreeze(ILogger logger, int charId, string map);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Information,
        Message = "Char {CharId}: its host {HostId} no longer holds {Map} (epoch {Epoch}) and it did not come back through another; it is offline")]
    private static partial void LogHostLost(ILogger logger, int charId, string map, string hostId, long epoch);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Debug, Message = "Char {CharId}: rAthena's row is told the character is offline, at the session's place")]
    private static partial void LogRowWritten(ILogger logger, int charId);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "Char {CharId}: rAthena's row could not be told the character is offline yet ({Reason}); retrying")]
    private static partial void LogRowFailed(ILogger logger, int charId, string reason);
}
