using System.Diagnostics;
using System.Globalization;
using P2PCluster.TestSupport;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>heartbeats</c>: many simulated agents on one node, the built p2p-silo as a child process on MariaDB.
/// Over a steady window: heartbeat → HEARTBEAT_ACK latency, the node's CPU (from /proc, apart from this
/// generator) and the database writes. Then the storm: the node is killed (SIGKILL) and started again, and every
/// agent redials, is authenticated again and heartbeats; the storm lasts until the last agent's first acknowledged
/// heartbeat.
/// </summary>
public static class HeartbeatsScenario
{
    private const int ConnectParallelism = 32;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan AckGrace = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(HeartbeatsOptions o, CancellationToken cancellationToken)
    {
        string limits = SystemLimits.Check(o.Agents, descriptorsPerConnection: 1, "--agents");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"heartbeats scenario: {o.Agents} simulated agents (every 10th a VPS), one heartbeat each every {o.HeartbeatInterval.TotalMilliseconds:F0} ms, to one silo process on MariaDB; " +
            $"{o.Warmup.TotalSeconds:F0} s warm-up, {o.Window.TotalSeconds:F0} s window, then kill -9 and restart of the silo (agents redial after up to {o.Retry.TotalMilliseconds:F0} ms, the ceiling doubling to 10 s, full jitter); " +
            $"{Environment.ProcessorCount} cores; {limits} (the silo process needs as many)"));

        await using var database = await ScenarioDatabase.StartAsync();
        string connectionString = await database.CreateDatabaseAsync("loadtool");

        // HTTP on (a loopback port), for the two /metrics scrapes that tell what the window's latency is made of.
        await using var silo = ChildSilo.Prepare(connectionString, o.Agents, o.MaxPendingHandshakes, http: true);
        int pendingLimit = new Hosting.CoordinatorOptions { MaxConnections = o.Agents + 100, MaxPendingHandshakes = o.MaxPendingHandshakes }.EffectiveMaxPendingHandshakes;
        await silo.StartAsync();
        Console.WriteLine($"silo process {silo.Process!.Id} started, gateway {silo.Gateway}, coordinator.max_pending_handshakes {pendingLimit}");
        await MeasureIdleAsync(silo.Process.Id, cancellationToken);

        var options = new SimulatedHostOptions(silo.Gateway, silo.CoordinatorKey) { HeartbeatInterval = o.HeartbeatInterval, Reconnect = o.Retry };
        var agents = Enumerable.Range(0, o.Agents)
            .Select(i => new SimulatedHost(options with { Kind = (byte)(i % 10 == 9 ? 1 : 0) }, (ushort)(20000 + i % 40000))).ToArray();
        try
        {
            try
            {
                await ConnectAllAsync(agents, silo.Process.Id, cancellationToken);
            }
            catch (Exception e) when (e is LoadToolException or TimeoutException or System.Net.Sockets.SocketException or IOException)
            {
                throw new LoadToolException($"connecting the agents: {e.Message}; the silo {(silo.Process.HasExited ? $"exited with {silo.Process.ExitCode}" : "still runs")}, its last output: {silo.Output()}", e);
            }
            await Task.Delay(o.Warmup, cancellationToken);
            var steady = await MeasureWindowAsync(silo, agents, connectionString, o, cancellationToken);
            var storm = await StormAsync(silo, agents, connectionString, database.ProcessId, o, steady.NodeMicrosecondsPerHeartbeat, cancellationToken);
            // A storm that misses the timeout is still a result: its lower bounds and how many agents were back.
            string over = storm.Finished ? "" : ">";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT heartbeats agents={o.Agents} p99_ms={steady.P99:F1} node_cpu_pct={steady.NodeCpuOfOneCore:F0} node_cpu_machine_pct={steady.NodeCpuOfOneCore / Environment.ProcessorCount:F0} " +
                $"db_writes={steady.Database.GrainStateWrites + steady.Database.ReminderWrites} db_statements={steady.Database.Statements} heartbeats={steady.Heartbeats} " +
                $"storm_s={over}{storm.FromAccept:F1} storm_from_kill_s={over}{storm.FromKill:F1} storm_back={storm.Back} p50_ms={steady.P50:F1} max_ms={steady.Max:F1} window_s={o.Window.TotalSeconds:F0} pending_limit={pendingLimit} " +
                $"node_handling_p99_ms={steady.NodeHandlingP99:F2} node_gc_pause_ms={steady.NodeGcPauseMs:F0} generator_lag_p99_ms={steady.GeneratorLagP99:F1}"));
            if (!storm.Finished)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"loadtool: the storm did not finish: {o.Agents - storm.Back} of {o.Agents} agents were not heartbeating again {o.StormTimeout.TotalSeconds:F0} s after the kill"));
                return 1;
            }
            return 0;
        }
        finally
        {
            await Task.WhenAll(agents.Select(a => a.DisposeAsync().AsTask()));
        }
    }

    /// <summary>The node's own CPU with no agent connected (membership, dashboard, timers), for comparison.</summary>
    private static async Task MeasureIdleAsync(int pid, CancellationToken cancellationToken)
    {
        await Task.Delay(IdleWindow, cancellationToken); // start-up work settles
        var cpu0 = ProcessCpu.Read(pid);
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(IdleWindow, cancellationToken);
        double percent = 100 * (ProcessCpu.Read(pid) - cpu0).Total.TotalSeconds / Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.WriteLine($"idle node, no agent connected: cpu {percent:F1}% of one core over {IdleWindow.TotalSeconds:F0} s");
    }

    private static async Task ConnectAllAsync(SimulatedHost[] agents, int pid, CancellationToken cancellationToken)
    {
        var node0 = ProcessCpu.Read(pid);
        var own0 = LoadSample.Take(0);
        var started = Stopwatch.GetTimestamp();
        int connected = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await Parallel.ForEachAsync(agents, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = timeout.Token },
                async (agent, token) =>
                {
                    await agent.ConnectAsync(token);
                    int n = Interlocked.Increment(ref connected);
                    if (n % 2000 == 0) Console.WriteLine($"  {n} agents connected after {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
                });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LoadToolException($"only {connected} of {agents.Length} agents connected within {ConnectTimeout.TotalMinutes:F0} min");
        }
        var own = Measurement.Between("generator", "connect", 0, own0, LoadSample.Take(0));
        var node = ProcessCpu.Read(pid) - node0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{agents.Length} agents connected and heartbeating in {own.Seconds:F1} s ({agents.Length / own.Seconds:F0}/s, {ConnectParallelism} at a time): " +
            $"node cpu {100 * node.Total.TotalSeconds / own.Seconds:F0}% ({1e3 * node.Total.TotalSeconds / agents.Length:F2} ms per agent), generator cpu {own.ProcessUserPercent + own.ProcessSystemPercent:F0}%, " +
            $"other processes {Math.Max(0, own.MachineBusyPercent - own.ProcessUserPercent - own.ProcessSystemPercent - 100 * node.Total.TotalSeconds / own.Seconds):F0}% (% of one core)"));
    }

    private sealed record Steady(long Heartbeats, double P50, double P99, double Max, double NodeCpuOfOneCore, double NodeMicrosecondsPerHeartbeat, DatabaseCounters Database,
        double NodeHandlingP99, double NodeGcPauseMs, double GeneratorLagP99);

    private static async Task<Steady> MeasureWindowAsync(ChildSilo silo, SimulatedHost[] agents, string connectionString, HeartbeatsOptions o, CancellationToken cancellationToken)
    {
        int pid = silo.Process!.Id;
        var db0 = await DatabaseCounters.ReadAsync(connectionString, cancellationToken);
        await using var probe = await HeartbeatWindowProbe.StartAsync(silo.Http is { } http ? new Uri(http, "/metrics") : null, cancellationToken);
        var cpu0 = ProcessCpu.Read(pid);
        var own0 = LoadSample.Take(0);
        await Task.Delay(o.Window, cancellationToken);
        var own1 = LoadSample.Take(0);
        var cpu1 = ProcessCpu.Read(pid);
        var db1 = await DatabaseCounters.ReadAsync(connectionString, cancellationToken);
        await Task.Delay(AckGrace, cancellationToken); // acks of the window's last heartbeats
        var acks = new List<(long Sent, long Acked)>();
        foreach (var agent in agents) agent.CollectAcks(own0.Timestamp, own1.Timestamp, acks);

        var latencies = acks.Select(a => Stopwatch.GetElapsedTime(a.Sent, a.Acked).TotalMilliseconds).ToList();
        int unanswered = agents.Sum(a => a.Unanswered(own0.Timestamp, own1.Timestamp));
        int dropped = agents.Count(a => a.Sessions != 1);
        latencies.Sort();
        var own = Measurement.Between("generator", "window", 0, own0, own1);
        double seconds = own.Seconds;
        var node = cpu1 - cpu0;
        double nodePercent = 100 * node.Total.TotalSeconds / seconds;
        var db = db1 - db0;
        await probe.ReportAsync(acks, o.HeartbeatInterval, (double)Stopwatch.GetElapsedTime(own0.Timestamp, own1.Timestamp).TotalSeconds, cancellationToken);
        double p50 = Percentile.Of(latencies, 50), p99 = Percentile.Of(latencies, 99), max = latencies.Count > 0 ? latencies[^1] : double.NaN;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"window {seconds:F1} s: {latencies.Count} heartbeats acknowledged ({latencies.Count / seconds:F0}/s), {unanswered} unanswered, {dropped} agents reconnected; " +
            $"heartbeat → ack p50 {p50:F1} ms, p99 {p99:F1} ms, p99.9 {Percentile.Of(latencies, 99.9):F1} ms, max {max:F1} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  node (silo pid {pid}) cpu {nodePercent:F1}% of one core = {nodePercent / Environment.ProcessorCount:F1}% of the {Environment.ProcessorCount}-core machine " +
            $"(user {100 * node.User.TotalSeconds / seconds:F1}%, sys {100 * node.System.TotalSeconds / seconds:F1}%; {1e6 * node.Total.TotalSeconds / Math.Max(1, latencies.Count):F0} us per heartbeat) | " +
            $"generator cpu {own.ProcessUserPercent + own.ProcessSystemPercent:F0}% | other processes {Math.Max(0, own.MachineBusyPercent - own.ProcessUserPercent - own.ProcessSystemPercent - nodePercent):F0}% " +
            $"(machine softirq {own.MachineSoftIrqPercent:F0}%, steal {own.MachineStealPercent:F0}%; all % of one core)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  database: {db.GrainStateWrites} grain-state writes (Δ Σ Version of OrleansStorage), {db.ReminderWrites} reminder writes, {db.MembershipVersion} membership changes; " +
            $"{db.Statements} INSERT/UPDATE/DELETE/REPLACE statements server-wide (membership IAmAlive updates included) = {(double)db.Statements / Math.Max(1, latencies.Count):F4} per heartbeat"));
        return new Steady(latencies.Count, p50, p99, max, nodePercent, 1e6 * node.Total.TotalSeconds / Math.Max(1, latencies.Count), db,
            probe.NodeHandlingP99Ms, probe.NodeGcPauseMs, probe.GeneratorLagP99Ms);
    }

    /// <summary>
    /// The storm's outcome. Finished: every agent back, the times are exact. Otherwise they are lower bounds (the
    /// time when the tool gave up) and <paramref name="Back"/> says how many agents made it.
    /// </summary>
    private sealed record Storm(bool Finished, int Back, double FromAccept, double FromKill);

    /// <param name="heartbeatMicroseconds">The node's CPU per heartbeat in the steady window, to tell the returned agents' heartbeats apart from the registrations.</param>
    /// <param name="databasePid">The throwaway MariaDB's process, whose CPU is reported apart; null for an external server.</param>
    private static async Task<Storm> StormAsync(ChildSilo silo, SimulatedHost[] agents, string connectionString, int? databasePid, HeartbeatsOptions o,
        double heartbeatMicroseconds, CancellationToken cancellationToken)
    {
        var db0 = await DatabaseCounters.ReadAsync(connectionString, cancellationToken);
        var failures0 = Tally(agents);
        var database0 = databasePid is { } dbPid0 ? ProcessCpu.Read(dbPid0) : default;
        var own0 = LoadSample.Take(0);
        long killedAt = own0.Timestamp;
        await silo.KillAsync();
        Console.WriteLine($"silo killed (SIGKILL) and gone after {Stopwatch.GetElapsedTime(killedAt).TotalMilliseconds:F0} ms; starting it again");
        var started = silo.StartAsync();
        int pid = silo.Process!.Id;

        string progress = "";
        var lastReport = Stopwatch.GetTimestamp();
        bool finished = true;
        ProcessCpu? startupCpu = null;
        while (true)
        {
            if (startupCpu is null && started.IsCompletedSuccessfully) startupCpu = ProcessCpu.Read(pid);
            int back = agents.Count(a => a.Sessions >= 2 && a.FirstAckAt > killedAt);
            if (back == agents.Length) break;
            if (Stopwatch.GetElapsedTime(killedAt) > o.StormTimeout)
            {
                var missing = agents.Where(a => a.FirstAckAt <= killedAt || a.Sessions < 2).ToList();
                Console.WriteLine(
                    $"storm: {missing.Count} of {agents.Length} agents were not heartbeating again {o.StormTimeout.TotalSeconds:F0} s after the kill ({progress}); " +
                    $"one of them last failed with: {missing.Select(a => a.LastError).FirstOrDefault(e => e is not null) ?? "nothing"}");
                finished = false;
                break;
            }
            if (started.IsFaulted) await started; // throws why the silo did not start
            int reconnected = agents.Count(a => a.Sessions >= 2);
            progress = $"{reconnected} reconnected, {back} acknowledged, {agents.Sum(a => a.FailedAttempts)} failed attempts";
            if (Stopwatch.GetElapsedTime(lastReport) > TimeSpan.FromSeconds(2))
            {
                Console.WriteLine($"  {Stopwatch.GetElapsedTime(killedAt).TotalSeconds:F1} s after the kill: {progress}");
                lastReport = Stopwatch.GetTimestamp();
            }
            await Task.Delay(50, cancellationToken);
        }
        var own1 = LoadSample.Take(0);
        var database1 = databasePid is { } dbPid1 ? ProcessCpu.Read(dbPid1) : default;
        long end = own1.Timestamp;
        var node = ProcessCpu.Read(pid); // the restarted process's whole life: start-up and storm
        long siloStarted = await started;
        var returned = agents.Where(a => a.Sessions >= 2 && a.FirstAckAt > killedAt).ToList();
        long accepted = agents.Where(a => a.Sessions >= 2 && a.ConnectedAt > killedAt).Select(a => a.ConnectedAt).DefaultIfEmpty(end).Min();
        long lastAck = finished ? returned.Max(a => a.FirstAckAt) : end;
        double fromAccept = Stopwatch.GetElapsedTime(accepted, lastAck).TotalSeconds;
        double fromKill = Stopwatch.GetElapsedTime(killedAt, lastAck).TotalSeconds;
        var firstAcks = returned.Select(a => Stopwatch.GetElapsedTime(accepted, a.FirstAckAt).TotalSeconds).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"storm: first connection accepted {Stopwatch.GetElapsedTime(killedAt, accepted).TotalSeconds:F1} s after the kill (\"Silo started\" logged at {Stopwatch.GetElapsedTime(killedAt, siloStarted).TotalSeconds:F1} s); " +
            $"{returned.Count} agents back; their first acknowledged heartbeat p50 {Percentile.Of(firstAcks, 50):F1} s, p99 {Percentile.Of(firstAcks, 99):F1} s, " +
            $"{(finished ? "last" : "gave up")} {fromAccept:F1} s after that ({fromKill:F1} s after the kill); {agents.Sum(a => a.FailedAttempts)} failed attempts along the way"));
        double seconds = Stopwatch.GetElapsedTime(killedAt, end).TotalSeconds;
        var startup = startupCpu ?? ProcessCpu.Read(pid);
        var served = node - startup;
        double servedSeconds = Stopwatch.GetElapsedTime(accepted, end).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  node (restarted silo pid {pid}) cpu {node.Total.TotalSeconds:F1} s from its start to the end of the storm: start-up {startup.Total.TotalSeconds:F1} s, " +
            $"then {served.Total.TotalSeconds:F1} s ({100 * served.Total.TotalSeconds / Math.Max(0.001, servedSeconds):F0}% of one core over {servedSeconds:F1} s; user {served.User.TotalSeconds:F1} s, sys {served.System.TotalSeconds:F1} s) " +
            $"= {1e3 * served.Total.TotalSeconds / Math.Max(1, returned.Count):F2} ms per agent back (refusals, failed attempts and the returned agents' heartbeats included); " +
            $"{returned.Count / Math.Max(0.001, servedSeconds):F0} agents back per second"));
        var heartbeats = new List<double>();
        foreach (var agent in agents) agent.CollectLatencies(killedAt, end, heartbeats);
        double heartbeatSeconds = heartbeats.Count * heartbeatMicroseconds / 1e6;
        double registrationMs = 1e3 * (served.Total.TotalSeconds - heartbeatSeconds) / Math.Max(1, returned.Count);
        var own = Measurement.Between("generator", "storm", 0, own0, own1);
        double nodePercent = 100 * node.Total.TotalSeconds / own.Seconds;
        double databasePercent = 100 * (database1 - database0).Total.TotalSeconds / own.Seconds;
        string databasePart = databasePid is null ? "" : string.Create(CultureInfo.InvariantCulture, $"MariaDB {databasePercent:F0}%, ");
        string externalDatabase = databasePid is null ? " (the external MariaDB among them)" : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  of that, the returned agents' {heartbeats.Count} heartbeats ≈ {heartbeatSeconds:F1} s at the steady window's {heartbeatMicroseconds:F0} us each; the rest ≈ {registrationMs:F2} ms per agent back " +
            $"(registration, refusals, failed attempts, a cold process's JIT) | machine over the storm: busy {own.MachineBusyPercent:F0}% of one core (of {100 * Environment.ProcessorCount}%), " +
            $"node {nodePercent:F0}%, generator {own.ProcessUserPercent + own.ProcessSystemPercent:F0}%, {databasePart}" +
            $"other processes {Math.Max(0, own.MachineBusyPercent - own.ProcessUserPercent - own.ProcessSystemPercent - nodePercent - databasePercent):F0}%{externalDatabase}"));
        var failures = Tally(agents);
        var kinds = failures.Select(f => (f.Key, Count: f.Value - failures0.GetValueOrDefault(f.Key))).Where(f => f.Count > 0)
            .OrderByDescending(f => f.Count).Select(f => $"{f.Key} {f.Count}").ToList();
        Console.WriteLine($"  failed attempts and ended sessions during the storm, by kind: {(kinds.Count > 0 ? string.Join(", ", kinds) : "none")}");
        var db = await DatabaseCounters.ReadAsync(connectionString, cancellationToken) - db0;
        Console.WriteLine($"  database during the storm: {db.GrainStateWrites} grain-state writes, {db.ReminderWrites} reminder writes, {db.MembershipVersion} membership changes, {db.Statements} INSERT/UPDATE/DELETE/REPLACE statements");
        return new Storm(finished, returned.Count, fromAccept, fromKill);
    }

    private static Dictionary<string, int> Tally(SimulatedHost[] agents)
    {
        var total = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var agent in agents)
            foreach (var (kind, count) in agent.Failures()) total[kind] = total.GetValueOrDefault(kind) + count;
        return total;
    }
}
