using System.CommandLine;

namespace P2PCluster.LoadTool;

/// <summary>The load tool's command line: one subcommand per scenario, each ending with one <c>RESULT</c> line.</summary>
public static class LoadCommand
{
    public static RootCommand Create()
    {
        var connections = Positive(new Option<int>("--connections") { Description = "Connections per server, opened before the window", DefaultValueFactory = _ => 1000 });
        var seconds = Positive(new Option<int>("--seconds") { Description = "Measured seconds per server and depth (for the gateway scenario cut into --slices that alternate with echo slices)", DefaultValueFactory = _ => 10 });
        var warmup = Positive(new Option<int>("--warmup") { Description = "Unmeasured load before each window, in seconds (a quarter of it before each later slice)", DefaultValueFactory = _ => 2 });
        var pipeline = Positive(new Option<int>("--pipeline") { Description = "PINGs in flight per connection in the pipelined runs (send that many, read that many)", DefaultValueFactory = _ => 16 });
        var prime = new Option<int>("--prime") { Description = "Light, unmeasured load per server (and per PING kind) before its first window, in seconds, so the JIT has optimized the hot paths", DefaultValueFactory = _ => 3 };
        var slices = Positive(new Option<int>("--slices") { Description = "Slices each window is cut into, alternating with the slices of what it is compared with (echo, or fresh vs cached grain references) so both see the same machine", DefaultValueFactory = _ => 5 });
        var local = new Option<bool>("--local") { Description = "Also measure PINGs the gateway answers itself (no grain call)", DefaultValueFactory = _ => true };

        var gateway = new Command("gateway", "Round trips per second: raw Pipelines echo server, then the in-process gateway without and with encryption")
        {
            connections, seconds, warmup, pipeline, prime, slices, local,
        };
        var grain = new Command("grain", "Calls per second to the gateway's probe grain inside the silo, without the network (what one ThroughCluster PING costs Orleans)")
        {
            connections, seconds, warmup, pipeline, prime, slices,
        };

        var hosts = Positive(new Option<int>("--hosts") { Description = "Candidate hosts in the directory (70 % P2P, 30 % VPS)", DefaultValueFactory = _ => 1000 });
        var callers = Positive(new Option<int>("--callers") { Description = "Concurrent callers, each with one placement in flight", DefaultValueFactory = _ => 64 });
        var refresh = Positive(new Option<int>("--refresh-ms") { Description = "How often each host re-upserts its entry (distribution.directory_refresh_ms)", DefaultValueFactory = _ => 2000 });
        var linear = new Option<bool>("--linear") { Description = "Also measure the linear scan the directory used before its index, in slices alternating with it", DefaultValueFactory = _ => true };
        var placement = new Command("placement", "Placement decisions per second from the host directory grain in the silo, over candidate hosts that keep refreshing")
        {
            hosts, callers, refresh, seconds, warmup, prime, slices, linear,
        };

        Func<ParseResult, ScenarioOptions> read = result => new ScenarioOptions(
            result.GetValue(connections), TimeSpan.FromSeconds(result.GetValue(seconds)), TimeSpan.FromSeconds(result.GetValue(warmup)),
            result.GetValue(pipeline), result.CommandResult.Command == gateway && result.GetValue(local),
            TimeSpan.FromSeconds(result.GetValue(prime)), result.GetValue(slices));
        gateway.SetAction((result, cancellationToken) => RunAsync(GatewayScenario.RunAsync, read(result), cancellationToken));
        grain.SetAction((result, cancellationToken) => RunAsync(GrainScenario.RunAsync, read(result), cancellationToken));
        placement.SetAction((result, cancellationToken) => RunAsync(PlacementScenario.RunAsync, new PlacementOptions(
            result.GetValue(hosts), result.GetValue(callers), TimeSpan.FromMilliseconds(result.GetValue(refresh)),
            TimeSpan.FromSeconds(result.GetValue(seconds)), TimeSpan.FromSeconds(result.GetValue(warmup)),
            TimeSpan.FromSeconds(result.GetValue(prime)), result.GetValue(slices), result.GetValue(linear)), cancellationToken));

        var maps = Positive(new Option<int>("--maps") { Description = "Running maps the players' characters are spread over (each on its own fake host)", DefaultValueFactory = _ => 10 });
        // Longer than the other scenarios' prime: a resolve runs more code (grains, storage, signing), and on this busy
        // machine a first slice after 3 s of priming still ran at a fifth to a tenth of the later ones.
        var resolvePrime = new Option<int>("--prime") { Description = "Unmeasured load on every connection before the first window, in seconds, so the JIT has optimized the hot paths", DefaultValueFactory = _ => 10 };
        var freshCharacters = new Option<int>("--fresh-characters")
        {
            Description = "Characters each player cycles through for the fresh resolves (1-255): each must come round again only after its ticket is past half its 5 s lifetime, so it gets a new one",
            DefaultValueFactory = _ => 128,
        };
        freshCharacters.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 255) r.AddError("--fresh-characters must be 1-255 (an account's character slots)");
        });
        var resolve = new Command("resolve",
            "RESOLVE → ROUTE round trips per second through the encrypted gateway, fresh (a new signed ticket each, as on a login or a warp) and repeated (the outstanding ticket again), each beside the raw echo server")
        {
            connections, maps, seconds, warmup, resolvePrime, slices, freshCharacters,
        };
        resolve.SetAction((result, cancellationToken) => RunAsync(ResolveScenario.RunAsync, new ResolveOptions(
            result.GetValue(connections), result.GetValue(maps), TimeSpan.FromSeconds(result.GetValue(seconds)), TimeSpan.FromSeconds(result.GetValue(warmup)),
            TimeSpan.FromSeconds(result.GetValue(resolvePrime)), result.GetValue(slices), result.GetValue(freshCharacters)), cancellationToken));

        return new RootCommand("P2PCluster load tool (results go to docs/benchmarks.md)") { gateway, grain, resolve, placement, CreateFailover(), CreateHeartbeats(), Tickets(), CreateDbProxy(), CreateMetrics(), CreateAdmin(), CreateFleet(), CreateMemory() };
    }

    private static Command CreateFailover()
    {
        var hosts = Positive(new Option<int>("--hosts") { Description = "Simulated host agents (P2P), each over its own connection", DefaultValueFactory = _ => 200 });
        var maps = Positive(new Option<int>("--maps") { Description = "Maps configured (maps: in the silo's configuration)", DefaultValueFactory = _ => 1000 });
        var maxMaps = Positive(new Option<int>("--max-maps") { Description = "node.max_maps each host reports in HOST_CAPACITY (room for the maps of failed hosts)", DefaultValueFactory = _ => 20 });
        var rounds = Positive(new Option<int>("--rounds") { Description = "Rounds of kills, then as many rounds of freezes", DefaultValueFactory = _ => 10 });
        var perRound = Positive(new Option<int>("--per-round") { Description = "Hosts killed (or frozen) per round, chosen at random among those holding maps", DefaultValueFactory = _ => 10 });
        var timeout = Positive(new Option<int>("--heartbeat-timeout-ms") { Description = "distribution.heartbeat_timeout_ms", DefaultValueFactory = _ => 3000 });
        var grace = new Option<int>("--reconnect-grace-ms") { Description = "distribution.reconnect_grace_ms", DefaultValueFactory = _ => 500 };
        var interval = Positive(new Option<int>("--heartbeat-interval-ms") { Description = "How often each host heartbeats (the agent's coordinator.heartbeat_interval_ms)", DefaultValueFactory = _ => 1000 });
        var command = new Command("failover", "Time from a host's failure (killed, then frozen) until each of its maps reached another host: in-process silo, simulated hosts")
        {
            hosts, maps, maxMaps, rounds, perRound, timeout, grace, interval,
        };
        command.SetAction((result, cancellationToken) => RunAsync(FailoverScenario.RunAsync, new FailoverOptions(
            result.GetValue(hosts), result.GetValue(maps), result.GetValue(maxMaps), result.GetValue(rounds), result.GetValue(perRound),
            result.GetValue(timeout), result.GetValue(grace), TimeSpan.FromMilliseconds(result.GetValue(interval))), cancellationToken));
        return command;
    }

    private static Command CreateHeartbeats()
    {
        var agents = Positive(new Option<int>("--agents") { Description = "Simulated host agents connected to the one node", DefaultValueFactory = _ => 10_000 });
        var interval = Positive(new Option<int>("--heartbeat-interval-ms") { Description = "How often each agent heartbeats", DefaultValueFactory = _ => 1000 });
        var warmup = Positive(new Option<int>("--warmup") { Description = "Unmeasured seconds of heartbeats after every agent has connected", DefaultValueFactory = _ => 15 });
        var seconds = Positive(new Option<int>("--seconds") { Description = "Measured window, in seconds", DefaultValueFactory = _ => 30 });
        var retry = Positive(new Option<int>("--retry-ms") { Description = "An agent that lost the node redials after up to this many milliseconds, the ceiling doubling after each failed attempt up to 10 s, each delay drawn between zero and it (the real agent's backoff starts at 250)", DefaultValueFactory = _ => 250 });
        var storm = Positive(new Option<int>("--storm-timeout") { Description = "Seconds after the kill by which every agent must be heartbeating again; past it the RESULT line gives lower bounds and storm_back, and the tool exits 1", DefaultValueFactory = _ => 180 });
        var pending = new Option<int>("--max-pending-handshakes") { Description = "The node's coordinator.max_pending_handshakes (0: its default, 32 per core)", DefaultValueFactory = _ => 0 };
        pending.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0) result.AddError("--max-pending-handshakes must be 0 or more");
        });
        var command = new Command("heartbeats", "Heartbeat latency, node CPU and database writes with many agents on one silo process (MariaDB), then a kill -9 and restart of the silo (reconnect storm)")
        {
            agents, interval, warmup, seconds, retry, storm, pending,
        };
        command.SetAction((result, cancellationToken) => RunAsync(HeartbeatsScenario.RunAsync, new HeartbeatsOptions(
            result.GetValue(agents), TimeSpan.FromMilliseconds(result.GetValue(interval)), TimeSpan.FromSeconds(result.GetValue(warmup)),
            TimeSpan.FromSeconds(result.GetValue(seconds)), TimeSpan.FromMilliseconds(result.GetValue(retry)), TimeSpan.FromSeconds(result.GetValue(storm)),
            result.GetValue(pending)), cancellationToken));
        return command;
    }

    private static Command CreateMemory()
    {
        var sessions = Positive(new Option<int>("--sessions") { Description = "Player sessions put on their maps (a ticket requested and claimed for each seeded character)", DefaultValueFactory = _ => 100_000 });
        var hosts = Positive(new Option<int>("--hosts") { Description = "Simulated host agents connected to the silo, heartbeating (5 maps each at most)", DefaultValueFactory = _ => 10_000 });
        var maps = Positive(new Option<int>("--maps") { Description = "Maps configured, placed by the silo on the hosts", DefaultValueFactory = _ => 2_000 });
        var interval = Positive(new Option<int>("--heartbeat-interval-ms") { Description = "How often each host heartbeats", DefaultValueFactory = _ => 1000 });
        var settle = Positive(new Option<int>("--settle") { Description = "Seconds waited after each stage before the silo's memory is read", DefaultValueFactory = _ => 10 });
        var command = new Command("memory", "Resident memory of one silo process holding many hosts, maps and player sessions at once (MariaDB), and bytes per grain")
        {
            sessions, hosts, maps, interval, settle,
        };
        command.SetAction((result, cancellationToken) => RunAsync(MemoryScenario.RunAsync, new MemoryOptions(
            result.GetValue(sessions), result.GetValue(hosts), result.GetValue(maps), TimeSpan.FromMilliseconds(result.GetValue(interval)),
            TimeSpan.FromSeconds(result.GetValue(settle))), cancellationToken));
        return command;
    }

    private static Command CreateMetrics()
    {
        var hosts = Positive(new Option<int>("--hosts") { Description = "Simulated hosts connected to each of the two silos (metrics on, metrics off), each silo's from a fleet process of its own", DefaultValueFactory = _ => 10_000 });
        var interval = Positive(new Option<int>("--heartbeat-interval-ms") { Description = "How often each host heartbeats (below the silos' distribution.heartbeat_timeout_ms, 3000)", DefaultValueFactory = _ => 1000 });
        interval.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() >= 3000) result.AddError("--heartbeat-interval-ms must be below 3000: the silos declare a host silent that long dead");
        });
        var scrapes = Positive(new Option<int>("--scrapes") { Description = "Scrapes of the metrics-on silo's /metrics, timed", DefaultValueFactory = _ => 100 });
        var gap = Positive(new Option<int>("--scrape-gap-ms") { Description = "From one scrape's start to the next (over the exporter's 300 ms response cache, so each collects afresh)", DefaultValueFactory = _ => 500 });
        var rounds = Positive(new Option<int>("--rounds") { Description = "Rounds the scrapes are cut into, each after a quiet window as long (the silo CPU a scrape costs is scrape windows less quiet windows)", DefaultValueFactory = _ => 5 });
        var connections = Positive(new Option<int>("--connections") { Description = "PING connections per silo", DefaultValueFactory = _ => 100 });
        var inFlight = Positive(new Option<int>("--in-flight") { Description = "Cluster PINGs in flight per connection (send that many, read that many)", DefaultValueFactory = _ => 1 });
        var seconds = Positive(new Option<int>("--seconds") { Description = "Measured PING seconds per silo, cut into --slices alternating on/off", DefaultValueFactory = _ => 20 });
        var warmup = Positive(new Option<int>("--warmup") { Description = "Unmeasured seconds of PINGs before the first slice of each silo (a quarter of it before later slices)", DefaultValueFactory = _ => 2 });
        var prime = new Option<int>("--prime") { Description = "Light, unmeasured PING load per silo before any slice, in seconds, for the JIT", DefaultValueFactory = _ => 5 };
        var slices = Positive(new Option<int>("--slices") { Description = "Slices each silo's PING window is cut into", DefaultValueFactory = _ => 10 });
        var command = new Command("metrics", "Scrape time and silo CPU of /metrics with many hosts connected, and cluster PINGs per second with metrics on against off (two silo processes, same run)")
        {
            hosts, interval, scrapes, gap, rounds, connections, inFlight, seconds, warmup, prime, slices,
        };
        command.SetAction((result, cancellationToken) => RunAsync(MetricsScenario.RunAsync, new MetricsOptions(
            result.GetValue(hosts), TimeSpan.FromMilliseconds(result.GetValue(interval)), result.GetValue(scrapes), TimeSpan.FromMilliseconds(result.GetValue(gap)),
            result.GetValue(rounds), result.GetValue(connections), result.GetValue(inFlight), TimeSpan.FromSeconds(result.GetValue(seconds)),
            TimeSpan.FromSeconds(result.GetValue(warmup)), TimeSpan.FromSeconds(result.GetValue(prime)), result.GetValue(slices)), cancellationToken));
        return command;
    }

    private static Command CreateAdmin()
    {
        var hosts = Positive(new Option<int>("--hosts") { Description = "Simulated hosts connected to the silo from a fleet process", DefaultValueFactory = _ => 10_000 });
        var interval = Positive(new Option<int>("--heartbeat-interval-ms") { Description = "How often each host heartbeats (below the silo's distribution.heartbeat_timeout_ms, 3000)", DefaultValueFactory = _ => 1000 });
        interval.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() >= 3000) result.AddError("--heartbeat-interval-ms must be below 3000: the silo declares a host silent that long dead");
        });
        var concurrency = Positive(new Option<int>("--concurrency") { Description = "Requests in flight (closed loop, one kept-alive client), the same for both routes", DefaultValueFactory = _ => 8 });
        var limit = Positive(new Option<int>("--limit") { Description = "Page size asked of /api/v1/hosts (the API allows 1 to 500)", DefaultValueFactory = _ => 100 });
        var seconds = Positive(new Option<int>("--seconds") { Description = "Measured seconds per route, cut into --slices alternating hosts / healthz", DefaultValueFactory = _ => 20 });
        var prime = new Option<int>("--prime") { Description = "Unmeasured seconds of both routes (half each) before any slice, for the JIT", DefaultValueFactory = _ => 6 };
        var slices = Positive(new Option<int>("--slices") { Description = "Slices each route's window is cut into", DefaultValueFactory = _ => 10 });
        var command = new Command("admin", "GET /api/v1/hosts?limit=N requests per second and latency beside GET /healthz, with many simulated hosts connected (one silo process, same run)")
        {
            hosts, interval, concurrency, limit, seconds, prime, slices,
        };
        command.SetAction((result, cancellationToken) => RunAsync(AdminScenario.RunAsync, new AdminOptions(
            result.GetValue(hosts), TimeSpan.FromMilliseconds(result.GetValue(interval)), result.GetValue(concurrency), result.GetValue(limit),
            TimeSpan.FromSeconds(result.GetValue(seconds)), TimeSpan.FromSeconds(result.GetValue(prime)), result.GetValue(slices)), cancellationToken));
        return command;
    }

    /// <summary>Scenario <c>metrics</c>'s fleet processes: <see cref="FleetCommand"/>.</summary>
    private static Command CreateFleet()
    {
        var gateway = new Option<string>("--gateway") { Required = true };
        var key = new Option<string>("--coordinator-key") { Required = true, Description = "base64" };
        var hosts = Positive(new Option<int>("--hosts") { DefaultValueFactory = _ => 1 });
        var interval = Positive(new Option<int>("--heartbeat-interval-ms") { DefaultValueFactory = _ => 1000 });
        var command = new Command("fleet", "Simulated hosts in a process of their own, until standard input closes (started by scenarios metrics and admin)") { gateway, key, hosts, interval };
        command.Hidden = true;
        command.SetAction((result, cancellationToken) => RunAsync<int>((_, token) => FleetCommand.RunAsync(
            System.Net.IPEndPoint.Parse(result.GetValue(gateway)!), Convert.FromBase64String(result.GetValue(key)!), result.GetValue(hosts),
            TimeSpan.FromMilliseconds(result.GetValue(interval)), token), 0, cancellationToken));
        return command;
    }

    private static Command CreateDbProxy()
    {
        var characters = Positive(new Option<int>("--characters") { Description = "Characters seeded (one account each), dealt round-robin to the hosts' maps; each is saved again and again", DefaultValueFactory = _ => 10_000 });
        var hosts = Positive(new Option<int>("--hosts") { Description = "Simulated host agents, each running one map, connected at the gateway port and at the database proxy port", DefaultValueFactory = _ => 10 });
        var inFlight = Positive(new Option<int>("--in-flight") { Description = "Saves in flight per host's proxy connection (one per character at a time; at most the proxy's 256 per connection are served at once)", DefaultValueFactory = _ => 32 });
        var seconds = Positive(new Option<int>("--seconds") { Description = "Measured seconds for the proxy and as many for the baseline, cut into --slices that alternate", DefaultValueFactory = _ => 20 });
        var warmup = Positive(new Option<int>("--warmup") { Description = "Unmeasured seconds of load before the first slice of each (a quarter of it before later slices)", DefaultValueFactory = _ => 2 });
        var prime = new Option<int>("--prime") { Description = "Unmeasured seconds of full load for each before any window, so the silo's and the tool's JIT have optimized the hot paths", DefaultValueFactory = _ => 10 };
        var slices = Positive(new Option<int>("--slices") { Description = "Slices each window is cut into, alternating baseline / proxy", DefaultValueFactory = _ => 5 });
        var connections = Positive(new Option<int>("--baseline-connections") { Description = "MySqlConnector connections the baseline writes from", DefaultValueFactory = _ => 32 });
        var batch = Positive(new Option<int>("--baseline-batch") { Description = "Rows per baseline INSERT … ON DUPLICATE KEY UPDATE statement", DefaultValueFactory = _ => 100 });
        var engine = new Option<string?>("--baseline-engine") { Description = "Storage engine of the baseline's copy of char (default: as char, MyISAM as rAthena ships it)" };
        engine.AcceptOnlyFromAmong("MyISAM", "InnoDB", "Aria");
        var command = new Command("dbproxy",
            "Validated character saves per second through the database proxy (child silo on the MariaDB of P2P_database__connection_string, in a fresh database it creates), " +
            "beside plain multi-row INSERT … ON DUPLICATE KEY UPDATE of the same rows; checks that every save is audited")
        {
            characters, hosts, inFlight, seconds, warmup, prime, slices, connections, batch, engine,
        };
        command.SetAction((result, cancellationToken) => RunAsync(DbProxyScenario.RunAsync, new DbProxyOptions(
            result.GetValue(characters), result.GetValue(hosts), result.GetValue(inFlight), TimeSpan.FromSeconds(result.GetValue(seconds)),
            TimeSpan.FromSeconds(result.GetValue(warmup)), TimeSpan.FromSeconds(result.GetValue(prime)), result.GetValue(slices),
            result.GetValue(connections), result.GetValue(batch), result.GetValue(engine)), cancellationToken));
        return command;
    }

    private static Command Tickets()
    {
        var seconds = Positive(new Option<int>("--seconds") { Description = "Measured seconds per operation, cut into --slices that rotate through bare sign, issue, bare verify and verify", DefaultValueFactory = _ => 10 });
        var warmup = Positive(new Option<int>("--warmup") { Description = "Unmeasured seconds of each operation before its first slice (a quarter of it before each later slice)", DefaultValueFactory = _ => 2 });
        var slices = Positive(new Option<int>("--slices") { Description = "Slices each operation's measured time is cut into", DefaultValueFactory = _ => 5 });
        var admissions = Positive(new Option<int>("--admissions") { Description = "Tickets the simulated host admits per second of ticket time; its replay memory holds about 65 s of them", DefaultValueFactory = _ => 1000 });
        var cpu = new Option<int>("--cpu") { Description = "CPU the measuring thread is pinned to", DefaultValueFactory = _ => Environment.ProcessorCount - 1 };
        cpu.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value < 0 || value >= Math.Min(64, Environment.ProcessorCount)) result.AddError($"--cpu must be 0 to {Math.Min(64, Environment.ProcessorCount) - 1}");
        });
        var tickets = new Command("tickets", "Player tickets per second on one core: issue (build + sign) against a bare Ed25519 sign, verify (TicketVerifier) against a bare Ed25519 verify")
        {
            seconds, warmup, slices, admissions, cpu,
        };
        tickets.SetAction((result, cancellationToken) => RunAsync<TicketOptions>(TicketsScenario.RunAsync,
            new TicketOptions(TimeSpan.FromSeconds(result.GetValue(seconds)), TimeSpan.FromSeconds(result.GetValue(warmup)), result.GetValue(slices),
                result.GetValue(admissions), result.GetValue(cpu)), cancellationToken));
        return tickets;
    }

    private static async Task<int> RunAsync<T>(Func<T, CancellationToken, Task<int>> scenario, T options, CancellationToken cancellationToken)
    {
        try
        {
            return await scenario(options, cancellationToken);
        }
        catch (LoadToolException e)
        {
            Console.Error.WriteLine($"loadtool: {e.Message}");
            return 1;
        }
    }

    private static Option<int> Positive(Option<int> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError($"{option.Name} must be at least 1");
        });
        return option;
    }
}
