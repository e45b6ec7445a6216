using P2PCluster.Grains.Characters;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// The database proxy's checks (docs/database-proxy.md). They run here because this grain already knows where the
/// character is and, being single-threaded, puts one character's writes in one order; the store's version check
/// guards the same order durably, across silos.
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

    public async Task<long> SaveCharacterAsync(string hostId, string map, long epoch, long expectedVersion, byte[] key, CharacterData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        RequireKey(key);
        if (_recentKeys.TryGetValue(Convert.ToHexString(key), out long done)) return done; // a retry of a save applied here
        await RequirePlayerOnMapAsync(hostId, map, epoch, "save", key);
        var stored = await LoadStoredAsync(hostId, map, epoch, "save");
        data = data with { LastMap = map };

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
        string operation = online ? "online" : "offline";
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
                _stored = stored with { Data = write.Data ?? stored.Data, Version = outcome.Version };
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
            await RefuseAsync(hostId, map, epoch, key, operation, ClusterError.NotOnMap,
                $"char {CharId} is not on {map} at host {hostId} under epoch {epoch} (it is {s.State}{(s.Map is null ? "" : $" on {s.Map}")})");
        }
    }

    /// <summary>Audits the refusal (committed before the host hears of it), reports it against the host, and throws its code.</summary>
    private async Task RefuseAsync(string hostId, string map, long epoch, byte[]? key, string operation, ClusterError code, string reason)
    {
        await characters.AuditRefusedAsync(new RefusedWrite(CharId, hostId, map, epoch, key, operation, code, reason));
        ReportRejected(hostId, code, reason);
        throw new ClusterException(code, reason);
    }

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
}
