using P2PCluster.Hosting;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Characters;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains;

/// <summary>
/// Tracks one character through resolving, playing on a map, moving between hosts, and logging out, and grants the
/// tickets that let it onto a host: one outstanding at a time, claimed once. A ticket not claimed before it expires
/// counts as a failed move, so the character never stays half-way (rAthena #3894).
/// </summary>
public sealed partial class PlayerSessionGrain(
    [PersistentState("session", StorageNames.State)] IPersistentState<PlayerSessionState> state,
    IAccountStore accounts,
    IOptions<AccountOptions> options,
    ICharacterStore characters,
    IOptions<CharacterRules> rules,
    IOptions<DistributionOptions> distribution,
    ClusterTallies tallies,
    ILogger<PlayerSessionGrain> logger,
    TimeProvider time) : Grain, IPlayerSessionGrain, IRemindable
{
    public const int NonceLength = 16;
    private IGrainTimer? _expiry;

    private readonly UnwrittenTicket _ticket = new(); // a RESOLVE's ticket is kept in memory only (see there why)
    private (string Name, IMapGrain Grain)? _map; // the map last resolved onto: every RESOLVE reads it again

    private IMapGrain Map(string name)
    {
        if (_map is { } cached && string.Equals(cached.Name, name, StringComparison.Ordinal)) return cached.Grain;
        var grain = GrainFactory.GetGrain<IMapGrain>(name);
        _map = (name, grain);
        return grain;
    }

    private int CharId => (int)this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        long key = this.GetPrimaryKeyLong();
        if (key is < 1 or > int.MaxValue)
            throw new ClusterException(ClusterError.InvalidArgument, $"char id {key} is out of range 1–{int.MaxValue}");
        _ticket.Stored(state.State);
        if (state.State.Pending is { } pending) WatchExpiry(pending);
        StartRowSync(); // a silo died before rAthena's row was told
        WatchPresence();
        await base.OnActivateAsync(cancellationToken);
    }

    /// <summary>An unwritten ticket is stored when the activation ends (silo shutdown; idle cannot: its timer keeps it alive).</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_ticket.Outstanding)
        {
            try
            {
                await state.WriteStateAsync();
                _ticket.Stored(state.State);
            }
            catch (Exception e) when (e is ClusterException or OrleansException or TimeoutException || StoreFailures.AsStoreUnavailable(e) is not null)
            {
                LogTicketNotKept(logger, CharId, e.Message); // its claim answers TicketUsed; the client resolves again
            }
        }
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    [LoggerMessage(EventId = 2304, Level = LogLevel.Warning,
        Message = "Char {CharId}: its outstanding ticket could not be stored as the session deactivated ({Reason}); the client must resolve again")]
    private static partial void LogTicketNotKept(ILogger logger, int charId, string reason);

    public async Task<TicketGrant> RequestTicketAsync(int accountId, string map)
    {
        if (accountId < 1) throw new ClusterException(ClusterError.InvalidArgument, $"account id {accountId} must be positive");
        Names.RequireMapName(map);
        var character = await FindCharacterAsync();
        var s = state.State;
        if (character.AccountId != accountId || (s.AccountId != 0 && s.AccountId != accountId))
            throw new ClusterException(ClusterError.IdentityMismatch, $"char {CharId} does not belong to account {accountId}");
        await ExpirePendingAsync();
        s = state.State;

        var offline = s.State == SessionState.Offline ? SessionPlaces.Offline(s, s.RowPending ? null : await RowAsync(), character) : default;
        string allowed = s.State switch
        {
            SessionState.Offline => offline.Map!,
            SessionState.OnMap => s.Map!,
            _ => s.TargetMap!,
        };
        if (!string.Equals(map, allowed, StringComparison.Ordinal))
            throw new ClusterException(ClusterError.InvalidTransition,
                $"char {CharId} may go to {allowed} now (it is {s.State}), not to {map}");

        var info = await Map(map).GetAsync();
        if (info.Status == MapStatus.Disabled)
            throw new ClusterException(ClusterError.MapUnavailable, $"map {map} is disabled by an operator; it is back once an operator enables it");
        if (info.Assignment is not { } assignment || info.InstanceState != MapInstanceState.Running || info.InstancePort <= 0)
            throw new ClusterException(ClusterError.MapUnavailable,
                $"no host runs {map} right now ({(info.Assignment is null ? "unassigned" : "starting")}); retry shortly");
        if (Reusable(s.Pending, map, assignment, info.InstancePort) is { } again) return Grant(again, assignment);

        var pending = NewTicket(map, instancePort: info.InstancePort, assignment);
        if (_ticket.StoredTicket) await ReplaceStoredTicketAsync(accountId, offline, pending);
        else
        {
            // In memory only: nothing stored names a ticket this one replaces (UnwrittenTicket). Nothing here can fail.
            _ticket.Issuing(state.State);
            BeginResolve(state.State, accountId, offline, pending);
            state.State.UpdatedAt = time.GetUtcNow();
        }
        WatchExpiry(pending);
        return Grant(pending, assignment);
    }

    /// <summary>Its own method so that only this rare path allocates the closure.</summary>
    private Task ReplaceStoredTicketAsync(int accountId, (CharacterSnapshot Character, string Map) offline, PendingTicket pending) =>
        CommitAsync(st => BeginResolve(st, accountId, offline, pending));

    private static void BeginResolve(PlayerSessionState st, int accountId, (CharacterSnapshot Character, string Map) offline, PendingTicket pending)
    {
        st.AccountId = accountId;
        if (st.State == SessionState.Offline)
        {
            st.State = SessionState.Resolving;
            (st.Character, st.CharacterMap) = (offline.Character, offline.Map);
            (st.RowPending, st.RowKey) = (false, null); // the next host sets the flag; the place goes with the session
        }
        else if (st.State == SessionState.OnMap)
        {
            st.State = SessionState.Moving; // back onto its map, maybe on another host
        }
        (st.TargetMap, st.Pending) = (pending.Map, pending);
    }

    /// <summary>
    /// The character's row (owner, last map), read from the account store at most once per <see cref="CharacterCacheTime"/>:
    /// a player resolving again and again must not cost a database query each time, and a character changing hands
    /// is rare enough for that delay.
    /// </summary>
    private async Task<CharacterSummary> FindCharacterAsync()
    {
        var now = time.GetUtcNow();
        if (_character is { } cached && now - cached.ReadAt < CharacterCacheTime) return cached.Row;
        var row = await accounts.FindCharacterAsync(CharId) ?? throw new ClusterException(ClusterError.NotFound, $"char {CharId} does not exist");
        _character = (row, now);
        return row;
    }

    private static readonly TimeSpan CharacterCacheTime = TimeSpan.FromSeconds(30);
    private (CharacterSummary Row, DateTimeOffset ReadAt)? _character;

    public async Task<TicketGrant> MoveAsync(string hostId, string fromMap, long epoch, string toMap, CharacterSnapshot saved)
    {
        Names.RequireHostId(hostId);
        Names.RequireMapName(fromMap);
        Names.RequireMapName(toMap);
        ArgumentNullException.ThrowIfNull(saved);
        saved.Validate();
        await ExpirePendingAsync();
        var s = state.State;
        if (s.State != SessionState.OnMap || s.Map != fromMap || s.HostId != hostId)
            throw new ClusterException(ClusterError.InvalidTransition, $"char {CharId} is not on {fromMap} at host {hostId} (it is {s.State})");
        if (s.Epoch != epoch) throw new ClusterException(ClusterError.StaleEpoch, $"char {CharId} is on {fromMap} under epoch {s.Epoch}, not {epoch}");
        await GrainFactory.GetGrain<IMapGrain>(fromMap).CheckEpochAsync(hostId, epoch); // a deposed host moves nobody

        // The saved position is the cell the character enters on toMap (docs/protocol.md, character_state); where it
        // stood on fromMap is kept, to go back to if the move does not happen.
        var departure = s.Character is { } here && s.CharacterMap == fromMap ? new CharacterPlace(fromMap, here.X, here.Y) : null;
        var info = await GrainFactory.GetGrain<IMapGrain>(toMap).GetAsync();
        if (info.Assignment is not { } assignment || info.InstanceState != MapInstanceState.Running || info.InstancePort <= 0)
        {
            // Progress is saved whatever happens to the move; the character stays where it stood.
            await CommitAsync(st => (st.Character, st.CharacterMap) =
                (departure is null ? saved : saved with { X = departure.X, Y = departure.Y }, fromMap));
            throw new ClusterException(ClusterError.MapUnavailable, info.Status == MapStatus.Disabled
                ? $"map {toMap} is disabled by an operator; char {CharId} stays on {fromMap}, its state saved"
                : $"no host runs {toMap} right now; char {CharId} stays on {fromMap}, its state saved");
        }
        return await GrantAsync(toMap, assignment, info.InstancePort, st =>
        {
            st.State = SessionState.Moving;
            (st.Character, st.CharacterMap, st.Departure) = (saved, toMap, departure);
        });
    }

    /// <summary>
    /// Issues the one outstanding ticket onto <paramref name="map"/> at its current host together with
    /// <paramref name="change"/>, in one state write; nothing changes, in memory either, if that write fails.
    /// </summary>
    private async Task<TicketGrant> GrantAsync(string map, MapAssignment assignment, int instancePort, Action<PlayerSessionState> change)
    {
        var pending = NewTicket(map, instancePort, assignment);
        await CommitAsync(st =>
        {
            change(st);
            st.TargetMap = map;
            st.Pending = pending;
        });
        WatchExpiry(pending);
        return Grant(pending, assignment);
    }

    private PendingTicket NewTicket(string map, int instancePort, MapAssignment assignment)
    {
        var now = time.GetUtcNow();
        return new PendingTicket(RandomNumberGenerator.GetBytes(NonceLength), map, assignment.HostId, assignment.Epoch,
            now + options.Value.TicketLifetime, now, instancePort);
    }

    private TicketGrant Grant(PendingTicket pending, MapAssignment assignment) =>
        new(state.State.AccountId, CharId, pending.Map, assignment.HostId, assignment.HostKind,
            assignment.InstanceEndpoint(pending.Port), assignment.Epoch, pending.Nonce, pending.IssuedAt, pending.ExpiresAt);

    /// <summary>
    /// The outstanding ticket, if a RESOLVE may have it again rather than a new one: it routes to where the map runs
    /// now (same host, epoch and instance port) and has at least half its lifetime left. A client that retries a
    /// RESOLVE (its ROUTE lost, or a launcher and the game asking in turn) then does not invalidate a ticket that may
    /// already be on its way to the host, and the cluster neither writes the session nor signs again.
    /// </summary>
    private PendingTicket? Reusable(PendingTicket? pending, string map, MapAssignment assignment, int instancePort)
    {
        if (pending is null || pending.Map != map || pending.IssuedAt == default || pending.Port != instancePort || pending.HostId != assignment.HostId
            || pending.Epoch != assignment.Epoch || state.State.TargetMap != pending.Map)
            return null;
        var now = time.GetUtcNow();
        return now >= pending.IssuedAt && pending.ExpiresAt - now >= (pending.ExpiresAt - pending.IssuedAt) / 2 ? pending : null;
    }

    public async Task<SessionInfo> ClaimTicketAsync(string hostId, string map, long epoch, byte[] nonce)
    {
        try
        {
            return await ClaimAsync(hostId, map, epoch, nonce);
        }
        catch (ClusterException)
        {
            tallies.CountTicketRefusal(); // the ticket_refusals alert's input
            throw;
        }
    }

    private async Task<SessionInfo> ClaimAsync(string hostId, string map, long epoch, byte[] nonce)
    {
        Names.RequireHostId(hostId);
        Names.RequireMapName(map);
        ArgumentNullException.ThrowIfNull(nonce);
        var s = state.State;
        if (s.Pending is not { } pending || !CryptographicOperations.FixedTimeEquals(pending.Nonce, nonce))
            throw new ClusterException(ClusterError.TicketUsed, $"char {CharId} has no outstanding ticket with that nonce (claimed, replaced or never issued)");
        if (time.GetUtcNow() > pending.ExpiresAt + options.Value.ClockSkew)
        {
            await ExpirePendingAsync();
            throw new ClusterException(ClusterError.TicketExpired, $"the ticket of char {CharId} expired at {pending.ExpiresAt:O}");
        }
        if (!string.Equals(pending.HostId, hostId, StringComparison.Ordinal))
            throw new ClusterException(ClusterError.IdentityMismatch, $"the ticket of char {CharId} is for host {pending.HostId}, not {hostId}");
        if (pending.Map != map || pending.Epoch != epoch)
            throw new ClusterException(ClusterError.StaleEpoch, $"the ticket of char {CharId} is for {pending.Map} epoch {pending.Epoch}");
        await Map(map).CheckEpochAsync(hostId, epoch); // the map may have moved since

        var on = await CommitAsync(st =>
        {
            (st.Pending, st.State, st.Departure) = (null, SessionState.OnMap, null);
            (st.Map, st.HostId, st.Epoch, st.TargetMap) = (map, hostId, epoch, null);
            st.CharacterMap = st.Character is null ? null : map;
        });
        StopWatchingExpiry();
        WatchPresence();
        return on;
    }

    public Task<SessionInfo> GetAsync() => Task.FromResult(Snapshot());

    /// <summary>
    /// A resolve or move did not complete (its ticket lapsed): the character goes back to the map it was on, or offline
    /// if it had none, so it is never left half-way (rAthena #3894).
    /// </summary>
    private async Task FailMoveAsync()
    {
        var s = state.State;
        if (s.State is SessionState.Offline or SessionState.OnMap) return;
        // Nothing written since an unwritten RESOLVE: storage holds where it goes back to (offline, or its map).
        if (_ticket.TakeStored() is { } stored) state.State = stored;
        else await FailWrittenMoveAsync(back: s.State == SessionState.Moving && s.Map is not null && s.HostId is not null);
        StopWatchingExpiry();
        StartRowSync();
        WatchPresence();
    }

    /// <summary>Back onto the map it was leaving if <paramref name="back"/> (not if it left its host meanwhile), else offline.</summary>
    private Task FailWrittenMoveAsync(bool back) => CommitAsync(st =>
    {
        SessionPlaces.ReturnToDeparture(st);
        (st.TargetMap, st.Pending) = (null, null);
        if (back) st.State = SessionState.OnMap;
        else SessionPlaces.GoOffline(st);
    });

    public async Task<SessionInfo> LeftAsync(string hostId, string map, long epoch)
    {
        Names.RequireHostId(hostId);
        Names.RequireMapName(map);
        var s = state.State;
        if (s.HostId != hostId || s.Map != map || s.Epoch != epoch) return Snapshot();
        if (s.State == SessionState.OnMap) return await LogoutAsync();
        if (s.State != SessionState.Moving) return Snapshot();
        // Moving, with a ticket out (a warp, or its own map asked for again): the place it would go back to if the
        // ticket is not used is gone, so a failed move ends offline rather than on a host that no longer holds it.
        return await CommitAsync(st => (st.HostId, st.Epoch) = (null, 0));
    }

    public async Task<SessionInfo> LogoutAsync()
    {
        var s = state.State;
        if (s.State == SessionState.Offline) return Snapshot();
        var place = new Place(s.HostId, s.Map, s.Epoch);
        var after = await CommitAsync(st =>
        {
            SessionPlaces.ReturnToDeparture(st);
            (st.TargetMap, st.Pending) = (null, null);
            SessionPlaces.GoOffline(st);
        });
        _character = null; // where it logs in next comes from its row, which its host may just have saved
        _endedAt = place;
        StopWatchingExpiry();
        StartRowSync();
        WatchPresence();
        return after;
    }

    /// <summary>An outstanding ticket past its validity (and the skew) is a failed move.</summary>
    private async Task ExpirePendingAsync()
    {
        if (state.State.Pending is { } pending && time.GetUtcNow() > pending.ExpiresAt + options.Value.ClockSkew)
            await FailMoveAsync();
    }

    private void WatchExpiry(PendingTicket pending)
    {
        var due = pending.ExpiresAt + options.Value.ClockSkew - time.GetUtcNow() + TimeSpan.FromMilliseconds(1);
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        // Every RESOLVE replaces the ticket: move the one timer rather than dispose it and register another.
        if (_expiry is not null) _expiry.Change(due, Timeout.InfiniteTimeSpan);
        else _expiry = this.RegisterGrainTimer(() => ExpirePendingAsync(), new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true });
    }

    private void StopWatchingExpiry()
    {
        _expiry?.Dispose();
        _expiry = null;
    }

    private void Require(bool allowed, string action)
    {
        if (!allowed)
            throw new ClusterException(ClusterError.InvalidTransition, $"char {CharId} cannot {action} while {state.State.State}");
    }

    /// <summary>
    /// Applies <paramref name="change"/> and writes the state; if the write fails, memory is as it was before, so a
    /// failed write never leaves the session in a state nobody stored (a failed warp once locked a player out).
    /// </summary>
    private async Task<SessionInfo> CommitAsync(Action<PlayerSessionState> change)
    {
        var before = state.State.Copy();
        change(state.State);
        state.State.UpdatedAt = time.GetUtcNow();
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = before;
            throw;
        }
        _ticket.Stored(state.State);
        return Snapshot();
    }

    private SessionInfo Snapshot()
    {
        var s = state.State;
        return new SessionInfo(CharId, s.AccountId, s.State, s.Map, s.HostId, s.Epoch, s.TargetMap, s.UpdatedAt, s.Character);
    }
}
