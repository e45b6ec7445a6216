using System.Text.RegularExpressions;
using MySqlConnector;
using P2PCluster.Grains.Interfaces;
using P2PCluster.TestSupport;

namespace P2PCluster.Chaos;

/// <summary>
/// What must be true after every fault once the players have left (issue 11): no acknowledged save lost, no map
/// served by two hosts at once, every session Offline and every <c>char.online</c> 0, every map's policy equal to the
/// configuration, epochs only increasing, every map running on a host that is online and counts it. Each check
/// returns what it found wrong, worded for the report; none throws.
/// </summary>
public static partial class StateInvariants
{
    /// <summary>
    /// How long the sessions and online flags may take to settle after the players left: an abandoned player's ticket
    /// expires (its lifetime and the 5 s clock skew) and the failed move is written.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(ChaosDurations.TicketLifetimeMs) + TimeSpan.FromSeconds(5 + 15);

    /// <summary>Sessions Offline and online flags 0 for every character, within <see cref="Settle"/>.</summary>
    public static async Task<List<string>> SessionsAndOnlineFlagsAsync(ChaosCluster cluster)
    {
        var (problems, _) = await Eventually.UntilAsync(async () =>
        {
            var found = new List<string>();
            var online = await OnlineFlagsAsync(cluster.ConnectionString);
            foreach (uint charId in cluster.CharIds)
            {
                var session = await ChaosCluster.AskAsync(() => cluster.Grains.GetGrain<IPlayerSessionGrain>((long)charId).GetAsync());
                if (session.State != SessionState.Offline)
                    found.Add($"session of char {charId} is {session.State} (map {session.Map}, target {session.TargetMap}, host {session.HostId}) after its player left");
                if (online.GetValueOrDefault(charId) != 0)
                    found.Add($"char {charId}: `char`.online = {online.GetValueOrDefault(charId)} after its player left (session {session.State})");
            }
            return found;
        }, found => found.Count == 0, Settle, TimeSpan.FromMilliseconds(250));
        return problems;
    }

    /// <summary>Policies as configured; every map running on an online host that counts it under the map's epoch; epochs not lower than before.</summary>
    public static async Task<List<string>> MapsAndHostsAsync(ChaosCluster cluster, IReadOnlyDictionary<string, long> epochsBefore)
    {
        var problems = new List<string>();
        var maps = await cluster.MapsAsync();
        foreach (var (name, info) in maps)
        {
            if (info.Policy != ChaosCluster.Maps[name])
                problems.Add($"map {name}: policy {info.Policy} differs from the configuration {ChaosCluster.Maps[name]}");
            if (info.Epoch < epochsBefore.GetValueOrDefault(name))
                problems.Add($"map {name}: epoch went down from {epochsBefore[name]} to {info.Epoch}");
            if (info.Assignment is not { } assignment || info.InstanceState != MapInstanceState.Running)
            {
                problems.Add($"map {name} is not running: {info}");
                continue;
            }
            var host = await ChaosCluster.AskAsync(() => cluster.Grains.GetGrain<IHostGrain>(assignment.HostId).GetAsync());
            if (host.Status != HostStatus.Online) problems.Add($"map {name} runs on host {assignment.HostId}, which is {host.Status}");
            if (!host.Maps.TryGetValue(name, out long epoch) || epoch != info.Epoch)
                problems.Add($"map {name} (epoch {info.Epoch}) runs on host {assignment.HostId}, whose grain counts it under {(host.Maps.ContainsKey(name) ? epoch : "nothing")}");
        }
        problems.AddRange(await RunningAgentsOnlineAsync(cluster));
        return problems;
    }

    /// <summary>
    /// Every running agent's host is Online within <see cref="Reconnect"/>: an agent whose connection the gateway reset
    /// after a partition healed is Offline until its reconnect (a backoff of up to 10 s) goes through, by design; one
    /// still Offline after that is a host the cluster lost track of.
    /// </summary>
    private static async Task<List<string>> RunningAgentsOnlineAsync(ChaosCluster cluster)
    {
        var (problems, _) = await Eventually.UntilAsync(async () =>
        {
            var found = new List<string>();
            foreach (var agent in cluster.Agents.Where(a => a.Running))
            {
                var host = await ChaosCluster.AskAsync(() => cluster.Grains.GetGrain<IHostGrain>(agent.HostId).GetAsync());
                if (host.Status != HostStatus.Online)
                    found.Add($"agent {agent.Name} ({agent.HostId}) is running but its host is still {host.Status} after {Reconnect.TotalSeconds:F0} s");
            }
            return found;
        }, found => found.Count == 0, Reconnect, TimeSpan.FromMilliseconds(250));
        return problems;
    }

    /// <summary>How long a running agent may take to be connected again: its longest reconnect backoff and a margin.</summary>
    public static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Every write the database proxy acknowledged to an agent (its log: saved / marked online / marked offline with
    /// the version) is in MariaDB: <c>p2p_char_version</c> holds that version or a later one. Plus what the players
    /// found on entering (<see cref="ChaosPlayer.Lost"/>).
    /// </summary>
    /// <summary>Whether any agent has logged a write the database proxy acknowledged (the ledger is not empty).</summary>
    public static bool AnyAcknowledged(ChaosCluster cluster) =>
        cluster.Agents.Any(agent => agent.Runs.Any(run => run.TimedLines.Any(l => Acknowledged().IsMatch(l.Line))));

    public static async Task<List<string>> AcknowledgedSavesAsync(ChaosCluster cluster, IEnumerable<ChaosPlayer> players)
    {
        var problems = players.SelectMany(p => p.Lost).ToList();
        var acknowledged = new Dictionary<uint, (long Version, string Agent)>();
        foreach (var agent in cluster.Agents)
        foreach (var run in agent.Runs)
        foreach (var (_, line) in run.TimedLines)
        {
            if (Acknowledged().Match(line) is not { Success: true } match) continue;
            uint charId = uint.Parse(match.Groups[1].Value);
            long version = long.Parse(match.Groups[2].Value);
            if (version > acknowledged.GetValueOrDefault(charId).Version) acknowledged[charId] = (version, agent.Name);
        }
        var stored = new Dictionary<uint, long>();
        await using (var connection = new MySqlConnection(cluster.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new MySqlCommand("SELECT char_id, version FROM p2p_char_version", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) stored[(uint)reader.GetInt64(0)] = reader.GetInt64(1);
        }
        foreach (var (charId, (version, agent)) in acknowledged)
            if (stored.GetValueOrDefault(charId) < version)
                problems.Add($"char {charId}: the proxy acknowledged version {version} to {agent}; MariaDB holds {stored.GetValueOrDefault(charId)}");
        if (acknowledged.Count == 0) problems.Add("no agent logged a single save acknowledged by the database proxy: the ledger is empty");
        return problems;
    }

    /// <summary>
    /// No host the fault did not touch lost a map between <paramref name="since"/> and <paramref name="until"/> (issue 11,
    /// item 5: a silo's death, or the database's, must not cost a healthy host its maps).
    /// </summary>
    public static List<string> HealthyHostsKeptTheirMaps(ChaosCluster cluster, ChaosAgent? victim, DateTime since, DateTime until) =>
        [.. from agent in cluster.Agents
            where agent != victim
            from run in agent.Runs
            from line in run.TimedLines
            where line.At >= since && line.At <= until
            let match = Revoked().Match(line.Line)
            where match.Success
            select $"healthy host {agent.Name} lost map {match.Groups[1].Value} at {line.At:HH:mm:ss.fff} (epoch {match.Groups[2].Value}, revoked: {match.Groups[3].Value})"];

    private static async Task<Dictionary<uint, int>> OnlineFlagsAsync(string connectionString)
    {
        var result = new Dictionary<uint, int>();
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand("SELECT char_id, online FROM `char`", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) result[(uint)reader.GetInt64(0)] = reader.GetInt32(1);
        return result;
    }

    [GeneratedRegex(@"Map (\S+) stopped \(epoch (\d+), revoked: ([^)]*)\)")]
    private static partial Regex Revoked();

    [GeneratedRegex(@"char (\d+) (?:saved through the database proxy|marked online|marked offline) \(version (\d+)\)")]
    private static partial Regex Acknowledged();
}
