using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;
using P2PCluster.Protocol;

namespace P2PCluster.Grains.Admin;

/// <summary>
/// <see cref="IClusterAdmin"/> over the grains. Reads come from the places that already know the whole cluster (the
/// host directory's sorted host list, copied per silo by <see cref="HostViewCache"/>; the cluster-state grain's
/// snapshot and map names) and, for one host or map, its own grain; nothing here fans out to every host. Operate calls are carried out by the grains (host, map, network
/// control), which make each change durable before anyone hears of it; this class only finds the targets, checks them
/// and says what moved. A host's key fingerprint is the lowercase hex SHA-256 of its 32-byte Ed25519 public key.
/// </summary>
public sealed partial class ClusterAdmin(
    IGrainFactory grains,
    IAccountStore accounts,
    IOptions<ClusterStateOptions> clusterState,
    HostViewCache hostList,
    ILogger<ClusterAdmin> logger) : IClusterAdmin
{
    /// <summary>How many recent placements a host's detail lists.</summary>
    public const int RecentPlacements = 10;

    private IHostDirectoryGrain Directory => grains.GetGrain<IHostDirectoryGrain>(0);
    private INetworkControlGrain Network => grains.GetGrain<INetworkControlGrain>(0);

    public async Task<ClusterSummary> SummaryAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = grains.GetGrain<IClusterStateGrain>(0).GetSnapshotAsync();
        var silos = grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false);
        var network = Network.GetAsync();
        int alerts = 0;
        try
        {
            alerts = (await grains.GetGrain<IAlertGrain>(0).GetActiveAsync()).Count;
        }
        catch (Exception e)
        {
            // The summary without alerts beats no summary (a silo without the alert services cannot activate the grain).
            LogSourceFailed(logger, "alerts", e.GetType().Name);
        }
        var s = await snapshot;
        var members = (await silos)
            .Select(m => new SiloSummary(m.SiloAddress.ToParsableString(), m.SiloName, m.Status.ToString().ToLowerInvariant(),
                m.StartTime == default ? null : new DateTimeOffset(DateTime.SpecifyKind(m.StartTime, DateTimeKind.Utc))))
            .OrderBy(m => m.Address, StringComparer.Ordinal)
            .ToList();
        return new ClusterSummary(s.TakenAt, members, s.Hosts, s.Maps, s.PlayersOnline, await network, alerts);
    }

    public async Task<HostPage> ListHostsAsync(HostQuery query, CancellationToken cancellationToken = default)
    {
        HostListing.Validate(query);
        return await hostList.PageAsync(query);
    }

    public async Task<HostDetail?> GetHostAsync(string hostId, CancellationToken cancellationToken = default)
    {
        RequireHostId(hostId, "hostId");
        var info = await grains.GetGrain<IHostGrain>(hostId).GetAsync();
        if (!IsKnown(info)) return null;
        var listed = await Directory.FindAsync(hostId);
        var summary = (listed ?? new HostSummary(hostId, info.Kind, info.Status, info.Endpoint, null, null, info.Capacity, info.Maps.Count, info.Approved))
            with { Status = info.Status, Approved = info.Approved, Maps = info.Maps.Count };
        var recent = await Directory.RecentAsync(hostId, RecentPlacements);
        return new HostDetail(summary, Fingerprint(info.PublicKey), info.Draining, info.Maps, info.Reliability, info.OnlineSince, recent);
    }

    /// <summary>Lowercase hex SHA-256 of the host's Ed25519 public key (docs/distribution.md); null before it first connected.</summary>
    public static string? Fingerprint(byte[]? publicKey) =>
        publicKey is null ? null : Convert.ToHexStringLower(SHA256.HashData(publicKey));

    public async Task<IReadOnlyList<MapSummary>> ListMapsAsync(CancellationToken cancellationToken = default)
    {
        var details = new List<MapDetail>();
        foreach (var batch in (await MapNamesAsync()).Chunk(64))
            details.AddRange(await Task.WhenAll(batch.Select(name => grains.GetGrain<IMapGrain>(name).GetDetailAsync())));
        var players = await PlayersAsync(details.Select(d => d.Summary.HostId));
        return [.. details.Where(d => IsKnown(d) || IsConfigured(d.Summary.Name)).Select(d => WithPlayers(d.Summary, players))];
    }

    public async Task<MapDetail?> GetMapAsync(string map, CancellationToken cancellationToken = default)
    {
        RequireMapName(map, "map");
        var detail = await grains.GetGrain<IMapGrain>(map).GetDetailAsync();
        if (!IsKnown(detail) && !IsConfigured(map)) return null;
        var players = await PlayersAsync([detail.Summary.HostId]);
        return detail with { Summary = WithPlayers(detail.Summary, players) };
    }

    public async Task<IReadOnlyList<SessionDetail>> FindSessionsAsync(int? accountId, int? charId, string? name, CancellationToken cancellationToken = default)
    {
        int given = (accountId.HasValue ? 1 : 0) + (charId.HasValue ? 1 : 0) + (name is not null ? 1 : 0);
        if (given != 1) throw Invalid("accountId", "give exactly one of accountId, charId or name");
        IReadOnlyList<CharacterSummary> characters;
        if (accountId is { } account)
        {
            if (account < 1) throw Invalid("accountId", $"{account} must be positive");
            characters = await accounts.CharactersAsync(account, cancellationToken);
        }
        else if (charId is { } id)
        {
            if (id < 1) throw Invalid("charId", $"{id} must be positive");
            characters = await accounts.FindCharacterAsync(id, cancellationToken) is { } found ? [found] : [];
        }
        else
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > 30) throw Invalid("name", "must be 1–30 characters");
            characters = await accounts.FindCharacterByNameAsync(name, cancellationToken) is { } found ? [found] : [];
        }
        var sessions = await Task.WhenAll(characters.Select(c => grains.GetGrain<IPlayerSessionGrain>(c.CharId).GetAsync()));
        return [.. characters.Zip(sessions, (c, s) => new SessionDetail(c.CharId, c.AccountId, c.Name, s.State, s.Map, s.HostId, s.Epoch, s.TargetMap, s.UpdatedAt))];
    }

    public async Task<AdminResult> ApproveHostAsync(string hostId, bool approved, CancellationToken cancellationToken = default)
    {
        var (host, before) = await KnownHostAsync(hostId);
        string action = approved ? "approve" : "unapprove";
        if (before.Approved == approved) return Unchanged(action, hostId, $"host {hostId} is {(approved ? "approved" : "not approved")} already");
        await host.SetApprovedAsync(approved);
        hostList.Invalidate();
        var (moved, moving) = await MovesAsync(hostId, before.Maps);
        return new AdminResult(action, hostId, true, moved, $"host {hostId} {(approved ? "approved" : "no longer approved")}{Moving(moving)}");
    }

    public async Task<AdminResult> BanHostAsync(string hostId, bool banned, CancellationToken cancellationToken = default)
    {
        var (host, before) = await KnownHostAsync(hostId);
        string action = banned ? "ban" : "unban";
        if ((before.Status == HostStatus.Banned) == banned) return Unchanged(action, hostId, $"host {hostId} is {(banned ? "banned" : "not banned")} already");
        await host.SetBannedAsync(banned);
        hostList.Invalidate();
        var (moved, moving) = banned ? await MovesAsync(hostId, before.Maps) : ([], 0);
        return new AdminResult(action, hostId, true, moved,
            banned ? $"host {hostId} banned: disconnected, {moved.Count} map(s) moved{Moving(moving)}, reconnects refused" : $"host {hostId} may connect again");
    }

    public async Task<AdminResult> SetHostStandingAsync(string hostId, bool approved, bool banned, CancellationToken cancellationToken = default)
    {
        RequireHostId(hostId, "hostId");
        var host = grains.GetGrain<IHostGrain>(hostId);
        var before = await host.GetAsync();
        bool wasBanned = before.Status == HostStatus.Banned;
        if (before.Approved == approved && wasBanned == banned)
            return Unchanged("restore-host", hostId, $"host {hostId} is {Standing(approved, banned)} already");
        if (banned && !wasBanned) await host.SetBannedAsync(true);
        if (before.Approved != approved) await host.SetApprovedAsync(approved);
        if (!banned && wasBanned) await host.SetBannedAsync(false);
        hostList.Invalidate();
        return new AdminResult("restore-host", hostId, true, [], $"host {hostId} is now {Standing(approved, banned)}");
    }

    private static string Standing(bool approved, bool banned) =>
        $"{(approved ? "approved" : "not approved")} and {(banned ? "banned" : "not banned")}";

    public async Task<AdminResult> DrainHostAsync(string hostId, bool draining, CancellationToken cancellationToken = default)
    {
        var (host, before) = await KnownHostAsync(hostId);
        string action = draining ? "drain" : "undrain";
        if (before.Draining == draining) return Unchanged(action, hostId, $"host {hostId} is {(draining ? "draining" : "not draining")} already");
        await host.SetDrainingAsync(draining);
        hostList.Invalidate();
        var (moved, moving) = draining ? await MovesAsync(hostId, before.Maps) : ([], 0);
        return new AdminResult(action, hostId, true, moved,
            draining ? $"host {hostId} draining: {moved.Count} map(s) moved{Moving(moving)}, no new maps" : $"host {hostId} takes maps again");
    }

    public async Task<AdminResult> MoveMapAsync(string map, string? toHost, CancellationToken cancellationToken = default)
    {
        var grain = await KnownMapAsync(map);
        if (toHost is not null)
        {
            RequireHostId(toHost, "to");
            if (!IsKnown(await grains.GetGrain<IHostGrain>(toHost).GetAsync()))
                throw new ClusterException(ClusterError.NotFound, $"to: host {toHost} is not known");
        }
        return await grain.MoveToAsync(toHost, "moved by an operator");
    }

    public async Task<AdminResult> SetMapPolicyAsync(string map, MapPolicyPatch patch, CancellationToken cancellationToken = default)
    {
        if (patch is null) throw Invalid("policy", "a body is required");
        MapPolicies.Validate(patch);
        var grain = await KnownMapAsync(map);
        return await grain.PatchPolicyAsync(patch);
    }

    public async Task<AdminResult> SetMapDisabledAsync(string map, bool disabled, CancellationToken cancellationToken = default)
    {
        var grain = await KnownMapAsync(map);
        return await grain.SetDisabledAsync(disabled);
    }

    public async Task<AdminResult> EmergencyFailoverAsync(string operatorName, CancellationToken cancellationToken = default)
    {
        bool paused = await Network.PauseAsync(operatorName);
        var moved = new List<MapMove>();
        var stuck = new List<string>();
        foreach (var batch in (await MapNamesAsync()).Chunk(32))
        {
            var results = await Task.WhenAll(batch.Select(async name =>
            {
                var grain = grains.GetGrain<IMapGrain>(name);
                if ((await grain.GetAsync()).Assignment is not { HostKind: HostKind.P2P }) return null;
                try
                {
                    return await grain.MoveToAsync(null, "emergency failover: P2P paused by an operator");
                }
                catch (ClusterException e)
                {
                    LogFailoverStuck(logger, name, e.Message);
                    lock (stuck) stuck.Add(name);
                    return null;
                }
            }));
            moved.AddRange(results.Where(r => r is not null).SelectMany(r => r!.Moved));
        }
        string message = $"P2P placement {(paused ? "paused" : "was paused already")}; {moved.Count} map(s) moved to VPS"
            + (stuck.Count > 0 ? $"; {stuck.Count} could not move (no VPS room), still on P2P: {string.Join(", ", stuck.Order(StringComparer.Ordinal))}" : "");
        return new AdminResult("emergency-failover", "network", paused || moved.Count > 0, moved, message);
    }

    public async Task<AdminResult> ResumeP2PAsync(CancellationToken cancellationToken = default)
    {
        bool resumed = await Network.ResumeAsync();
        return new AdminResult("resume", "network", resumed, [],
            resumed ? "P2P placement allowed again; maps stay where they are until placed again (docs/distribution.md)" : "P2P placement was not paused");
    }

    public async Task<AdminResult> ResetNetworkAsync(CancellationToken cancellationToken = default)
    {
        var names = await MapNamesAsync();
        long seen = (await Network.GetAsync()).ResetGeneration;
        if (seen > 0)
        {
            var done = await Task.WhenAll(names.Select(n => grains.GetGrain<IMapGrain>(n).IsResetAsync(seen)));
            if (done.All(d => d)) return Unchanged("reset", "network", $"nothing was assigned since reset {seen}");
        }
        long generation = await Network.BeginResetAsync(seen);
        var moved = new List<MapMove>();
        foreach (var batch in names.Chunk(32))
        {
            var results = await Task.WhenAll(batch.Select(n => grains.GetGrain<IMapGrain>(n).ResetAsync(generation)));
            moved.AddRange(results.SelectMany(r => r.Moved));
        }
        return new AdminResult("reset", "network", true, moved, $"reset {generation}: {moved.Count} assignment(s) revoked and placed again under new epochs");
    }

    public async Task<AdminResult> EndSessionAsync(int charId, CancellationToken cancellationToken = default)
    {
        if (charId < 1) throw Invalid("charId", $"{charId} must be positive");
        var session = grains.GetGrain<IPlayerSessionGrain>(charId);
        var before = await session.GetAsync();
        if (before.State == SessionState.Offline)
        {
            if (before.AccountId == 0 && await accounts.FindCharacterAsync(charId, cancellationToken) is null)
                throw new ClusterException(ClusterError.NotFound, $"charId: character {charId} is not known");
            return Unchanged("end-session", charId.ToString(System.Globalization.CultureInfo.InvariantCulture), $"character {charId} is offline already");
        }
        await session.LogoutAsync();
        return new AdminResult("end-session", charId.ToString(System.Globalization.CultureInfo.InvariantCulture), true, [],
            $"character {charId}'s session ended (was {before.State} on {before.Map ?? "no map"}); its host's writes for it are refused from now on");
    }

    /// <summary>Configured maps and every map the cluster-state grain heard of, by name.</summary>
    private async Task<IReadOnlyList<string>> MapNamesAsync()
    {
        var heard = await grains.GetGrain<IClusterStateGrain>(0).MapNamesAsync();
        return [.. clusterState.Value.Maps.Concat(heard).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Where each of <paramref name="maps"/> (held by <paramref name="hostId"/> before an action) is now.</summary>
    /// <summary>
    /// The maps that left <paramref name="hostId"/>, and how many still name it under the epoch it held. The host grain
    /// tells each map grain without waiting (and retries until it gets through), so this waits up to
    /// <see cref="MoveWait"/> for the maps to be re-placed — the usual case — and no longer: the operator is answered
    /// while the cluster keeps moving the rest (docs/placement.md, "Failure detection").
    /// </summary>
    private async Task<(IReadOnlyList<MapMove> Moved, int Moving)> MovesAsync(string hostId, IReadOnlyDictionary<string, long> maps)
    {
        bool StillThere(MapInfo i) => i.Assignment is { } a && a.HostId == hostId && a.Epoch == maps[i.Name];
        long start = Stopwatch.GetTimestamp();
        MapInfo[] infos;
        while ((infos = await Task.WhenAll(maps.Keys.Select(m => grains.GetGrain<IMapGrain>(m).GetAsync()))).Any(StillThere)
            && Stopwatch.GetElapsedTime(start) < MoveWait)
            await Task.Delay(MovePoll);
        return ([.. infos.Where(i => i.Assignment?.HostId != hostId).OrderBy(i => i.Name, StringComparer.Ordinal)
            .Select(i => new MapMove(i.Name, hostId, i.Assignment?.HostId, i.Assignment?.HostKind, i.Epoch))], infos.Count(StillThere));
    }

    private static string Moving(int count) => count == 0 ? "" : $", {count} still being moved (retried until the map grains hear it)";

    /// <summary>How long a drain, ban or withdrawn approval waits for its maps to be re-placed before answering.</summary>
    private static readonly TimeSpan MoveWait = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MovePoll = TimeSpan.FromMilliseconds(50);

    /// <summary>Players per map, from the heartbeats of the hosts running them.</summary>
    private async Task<Dictionary<string, int>> PlayersAsync(IEnumerable<string?> hostIds)
    {
        var infos = await Task.WhenAll(hostIds.OfType<string>().Distinct(StringComparer.Ordinal).Select(h => grains.GetGrain<IHostGrain>(h).GetAsync()));
        var players = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var info in infos)
            foreach (var (map, count) in info.MapPlayers ?? new Dictionary<string, int>())
                if (info.Maps.ContainsKey(map)) players[map] = count;
        return players;
    }

    private static MapSummary WithPlayers(MapSummary summary, Dictionary<string, int> players) =>
        summary with { Players = summary.HostId is null ? 0 : players.GetValueOrDefault(summary.Name) };

    private async Task<(IHostGrain Grain, HostInfo Info)> KnownHostAsync(string hostId)
    {
        RequireHostId(hostId, "hostId");
        var grain = grains.GetGrain<IHostGrain>(hostId);
        var info = await grain.GetAsync();
        if (!IsKnown(info)) throw new ClusterException(ClusterError.NotFound, $"hostId: host {hostId} is not known");
        return (grain, info);
    }

    private async Task<IMapGrain> KnownMapAsync(string map)
    {
        RequireMapName(map, "map");
        var grain = grains.GetGrain<IMapGrain>(map);
        if (!IsKnown(await grain.GetDetailAsync()) && !IsConfigured(map))
            throw new ClusterException(ClusterError.NotFound, $"map: map {map} is not known");
        return grain;
    }

    private bool IsConfigured(string map) => clusterState.Value.Maps.Contains(map, StringComparer.Ordinal);

    /// <summary>A host grain that never saw its host (no key, offline, no maps) is a name nobody registered.</summary>
    private static bool IsKnown(HostInfo info) => info.PublicKey is not null || info.Status != HostStatus.Offline || info.Maps.Count > 0;

    /// <summary>A map grain never configured, placed, disabled or given a policy is a name nobody uses.</summary>
    private static bool IsKnown(MapDetail detail) =>
        detail.Summary.Epoch > 0 || detail.Summary.Status != MapStatus.Unassigned || detail.History.Count > 0 || detail.PolicyOverridden;

    private static void RequireHostId(string? hostId, string field)
    {
        if (!Names.IsValidHostId(hostId)) throw Invalid(field, $"'{hostId}' is not a host id: 1–{Names.MaxHostIdLength} characters of [A-Za-z0-9_@.-]");
    }

    private static void RequireMapName(string? map, string field)
    {
        if (!Names.IsValidMapName(map)) throw Invalid(field, $"'{map}' is not a map name: 1–{Names.MaxMapNameLength} characters of [A-Za-z0-9_@.-]");
    }

    /// <summary>Bad input: the message starts with the offending field (camelCase, as the API names it) and a colon.</summary>
    private static ClusterException Invalid(string field, string message) => new(ClusterError.InvalidArgument, $"{field}: {message}");

    private static AdminResult Unchanged(string action, string target, string message) => new(action, target, false, [], message);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Warning, Message = "Admin: {Source} did not answer ({Error}); left out of the answer")]
    private static partial void LogSourceFailed(ILogger logger, string source, string error);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Warning, Message = "Emergency failover: map {Map} could not move to VPS: {Reason}")]
    private static partial void LogFailoverStuck(ILogger logger, string map, string reason);
}
