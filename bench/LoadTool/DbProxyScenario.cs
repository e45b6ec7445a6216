using System.Globalization;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>dbproxy</c>: validated character saves per second through the database proxy of the built p2p-silo
/// (a child process on the MariaDB of <c>P2P_database__connection_string</c>, its character store rAthena's
/// <c>char</c> table), from simulated hosts over real sockets, beside a baseline in the same run: the same rows
/// written as plain multi-row <c>INSERT … ON DUPLICATE KEY UPDATE</c> statements (<see cref="BaselineWriter"/>).
/// The two alternate in slices. At the end every acknowledged save must have its audit row, its version and its values
/// in <c>char</c>.
/// </summary>
public static class DbProxyScenario
{
    public static async Task<int> RunAsync(DbProxyOptions o, CancellationToken cancellationToken)
    {
        int perHost = o.Characters / o.Hosts;
        if (perHost < 1) throw new LoadToolException($"--characters {o.Characters} leaves no character for some of the {o.Hosts} hosts");
        if (o.InFlight > perHost) throw new LoadToolException($"--in-flight {o.InFlight} is more than the {perHost} characters of a host: a character has one save in flight at a time");
        string limits = SystemLimits.Check(2 * o.Hosts, descriptorsPerConnection: 1, "--hosts");
        var characters = Enumerable.Range(0, o.Characters)
            .Select(i => new SavedCharacter(DbProxyDatabase.FirstChar + i, DbProxyDatabase.FirstAccount + i, i % o.Hosts, MapName(i % o.Hosts)) { Record = SavedCharacter.Seed(i) })
            .ToArray();

        var db = await DbProxyDatabase.CreateAsync(characters, o.BaselineEngine);
        string engine = await db.EngineAsync(BaselineWriter.Table);
        int? databasePid = await db.ServerProcessAsync();
        string charEngine = await db.EngineAsync("char");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dbproxy scenario: {o.Characters} characters (one account each) on {o.Hosts} simulated hosts (one map each), {o.InFlight} saves in flight per host's proxy connection " +
            $"(one per character); baseline {o.BaselineConnections} connections × {o.BaselineBatch}-row INSERT … ON DUPLICATE KEY UPDATE into {BaselineWriter.Table} ({engine}; char is {charEngine}); " +
            $"{o.Window.TotalSeconds:F0} s measured each, in {o.Slices} slices alternating baseline / proxy, after {o.Prime.TotalSeconds:F0} s priming each; " +
            $"database {db.Name} ({(databasePid is { } p ? $"MariaDB pid {p} on this machine" : "server not on this machine: its CPU is not measured")}); " +
            $"{Environment.ProcessorCount} cores; {limits}"));

        try
        {
            await using var silo = ChildSilo.Prepare(db.SiloConnectionString, 2 * o.Hosts);
            await silo.StartAsync();
            Console.WriteLine($"silo process {silo.Process!.Id} started on MariaDB as a least-privilege user; gateway {silo.Gateway}, database proxy {silo.DbProxy}");
            var hosts = Enumerable.Range(0, o.Hosts).Select(h => new SimulatedHost(new SimulatedHostOptions(silo.Gateway, silo.CoordinatorKey), (ushort)(20000 + h))).ToArray();
            var savers = new List<ProxySaver>();
            try
            {
                foreach (var host in hosts) await host.ConnectAsync(cancellationToken);
                await using var cluster = await DbProxyCluster.ConnectAsync(db.SiloConnectionString, cancellationToken);
                var epochs = new ulong[o.Hosts];
                for (int h = 0; h < o.Hosts; h++) epochs[h] = (ulong)await cluster.RunMapAsync(MapName(h), hosts[h], cancellationToken);
                var placing = LoadSample.Take(0);
                await cluster.PlaceAsync(characters, hosts, cancellationToken);
                Console.WriteLine($"{o.Hosts} hosts connected, each running its map; {o.Characters} characters resolved and claimed in {Measurement.Between("", "", 0, placing, LoadSample.Take(0)).Seconds:F1} s");

                var loading = LoadSample.Take(0);
                for (int h = 0; h < o.Hosts; h++)
                {
                    var mine = characters.Where(c => c.Host == h).ToArray();
                    savers.Add(new ProxySaver(await hosts[h].OpenProxyAsync(silo.DbProxy, cancellationToken), mine, [.. mine.Select(_ => epochs[h])], o.InFlight));
                }
                await Task.WhenAll(savers.Select(s => s.LoadAllAsync(cancellationToken)));
                Console.WriteLine($"{o.Hosts} proxy connections; every character loaded (DB_LOAD_CHAR) in {Measurement.Between("", "", 0, loading, LoadSample.Take(0)).Seconds:F1} s");

                await using var baseline = await BaselineWriter.OpenAsync(db.AdminConnectionString, characters, o.BaselineConnections, o.BaselineBatch, cancellationToken);
                Task Save(int h, CancellationToken stop) => savers[h].SaveUntilAsync(stop);
                long Saved() => savers.Sum(s => s.Saves);
                await LoadWindow.PrimeAsync("proxy", o.Hosts, Save, o.Prime, cancellationToken);
                await LoadWindow.PrimeAsync("baseline", o.BaselineConnections, baseline.WriteUntilAsync, o.Prime, cancellationToken);

                int nodePid = silo.Process.Id;
                var baselineCost = new CostProbe(nodePid, databasePid, db.AdminConnectionString, baseline.Latencies);
                var proxyCost = new CostProbe(nodePid, databasePid, db.AdminConnectionString, () => Sum(savers.Select(s => s.Latencies)));
                var (written, saved) = await LoadWindow.AlternateAsync(
                    (warmup, window) => LoadWindow.MeasureAsync("baseline", "upsert", o.BaselineBatch, o.BaselineConnections, baseline.WriteUntilAsync, () => baseline.Rows,
                        warmup, window, cancellationToken, baselineCost.StartAsync, baselineCost.EndAsync),
                    (warmup, window) => LoadWindow.MeasureAsync("proxy", "save", o.InFlight, o.Hosts, Save, Saved,
                        warmup, window, cancellationToken, proxyCost.StartAsync, proxyCost.EndAsync),
                    o.Scenario);
                DbProxyReport.Costs("baseline", "row", written, baselineCost, "statement (one batch)");
                DbProxyReport.Costs("proxy", "save", saved, proxyCost, "save (send → DB_RESULT)");

                long acknowledged = Saved();
                var (audited, refused, versions) = await db.AuditAsync();
                var wrong = await db.RowsNotAsAcknowledgedAsync(characters.ToDictionary(c => c.CharId));
                bool complete = audited == acknowledged && refused == 0 && versions == acknowledged && wrong.Count == 0;
                string verdict = complete ? ": every save audited and durable" : wrong.Count > 0 ? $" (first wrong: char {wrong[0]})" : "";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"audit: {acknowledged} saves acknowledged in the whole run (priming and warm-ups included), {audited} accepted saves in p2p_db_audit, {refused} refusals, " +
                    $"Σ p2p_char_version.version = {versions}; {o.Characters - wrong.Count} of {o.Characters} char rows hold the last acknowledged values{verdict}"));

                double p99 = proxyCost.Latencies.Percentile(0.99) / 1000;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"RESULT dbproxy saves_per_s={saved.RoundTripsPerSecond:F0} baseline_rows_per_s={written.RoundTripsPerSecond:F0} ratio={saved.RoundTripsPerSecond / written.RoundTripsPerSecond:F2} " +
                    $"p99_ms={p99:F1} audited={audited} acknowledged={acknowledged} p50_ms={proxyCost.Latencies.Percentile(0.5) / 1000:F1} " +
                    $"node_us_per_save={DbProxyReport.PerOperation(proxyCost.Node, saved):F0} db_us_per_save={DbProxyReport.PerOperation(proxyCost.Database, saved):F0} " +
                    $"saves_per_commit={saved.RoundTrips / Math.Max(1.0, proxyCost.Status.Commits):F1} characters={o.Characters} hosts={o.Hosts} in_flight={o.InFlight} " +
                    $"seconds={o.Window.TotalSeconds:F0} baseline_engine={engine}"));
                if (!complete)
                {
                    Console.Error.WriteLine("loadtool: not every acknowledged save is audited and in char (see the audit line)");
                    return 1;
                }
                return 0;
            }
            finally
            {
                foreach (var saver in savers) await saver.DisposeAsync();
                await Task.WhenAll(hosts.Select(h => h.DisposeAsync().AsTask()));
            }
        }
        finally
        {
            await db.DropAsync();
        }
    }

    private static LatencyHistogram Sum(IEnumerable<LatencyHistogram> parts)
    {
        var sum = new LatencyHistogram();
        foreach (var part in parts) sum.Add(part);
        return sum;
    }

    private static string MapName(int host) => string.Create(CultureInfo.InvariantCulture, $"dbp{host:D4}");
}
