using System.Diagnostics;
using System.Text.Json.Nodes;
using P2PCluster.Hosting;

namespace P2PCluster.Diagnostic;

/// <summary>
/// <c>--performance</c>: heartbeat, resolve and save latency (p99 from the silo's histograms), the silo's CPU and
/// memory, overloaded hosts, and maps on VPS hosts that P2P hosts with room could run.
/// </summary>
public sealed class PerformanceChecks(CheckRun run)
{
    private const string Area = "performance";

    /// <summary>CPU is a counter: two scrapes this far apart give its rate.</summary>
    private static readonly TimeSpan CpuWindow = TimeSpan.FromSeconds(1);

    private static readonly (string Check, string Histogram, string What)[] Latencies =
    [
        ("heartbeat_latency", "p2p_gateway_heartbeat_duration_seconds", "handling one HEARTBEAT"),
        ("resolve_latency", "p2p_gateway_resolve_duration_seconds", "handling one RESOLVE"),
        ("save_latency", "p2p_db_proxy_save_duration_seconds", "one database-proxy save"),
    ];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await run.WithApiAsync(Area, "metrics", () => MetricsAsync(cancellationToken));
        await run.WithApiAsync(Area, "overloaded_hosts", () => OverloadedAsync(cancellationToken));
        await run.WithApiAsync(Area, "maps_on_vps", () => MapsOnVpsAsync(cancellationToken));
    }

    private async Task MetricsAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        string? first = await run.Api.MetricsAsync(cancellationToken);
        if (first is null)
        {
            run.Add(new Finding(Area, "metrics", Severity.Warning, $"{new Uri(run.Api.BaseUrl, "/metrics")} answers 404: http.metrics is false on this silo, latencies and CPU not measured",
                "Set http.metrics: true (docs/monitoring.md)."));
            return;
        }
        var scrape = new PrometheusText(first);
        foreach (var (check, histogram, what) in Latencies) run.Add(Latency(scrape, check, histogram, what));
        run.Add(Memory(scrape));
        await Task.Delay(CpuWindow, cancellationToken); // real time must pass to measure a rate
        string? second = await run.Api.MetricsAsync(cancellationToken);
        if (second is not null) run.Add(Cpu(scrape, new PrometheusText(second), watch.Elapsed));
    }

    private Finding Latency(PrometheusText scrape, string check, string histogram, string what)
    {
        if (scrape.Quantile(histogram, 0.99) is not var (count, p99, largest))
            return Finding.Ok(Area, check, $"{what}: no samples on this silo ({histogram} appears with the first; with coordinator.hosted_gateway: false, scrape the stand-alone gateways)");
        if (count == 0) return Finding.Ok(Area, check, $"{what}: no samples yet since the silo started");
        double slow = run.Arguments.SlowMs;
        double ms = p99 * 1000;
        string p99Text = double.IsInfinity(p99) ? $"above {largest * 1000:0.#} ms (the largest bucket)" : $"at most {ms:0.#} ms";
        string evidence = $"{what}: p99 {p99Text} over {count:0} sample(s) since the silo started ({histogram}); threshold {slow} ms (--slow-ms)";
        return ms > 4 * slow ? new Finding(Area, check, Severity.Critical, evidence, Advice(check))
            : ms > slow ? new Finding(Area, check, Severity.Warning, evidence, Advice(check))
            : Finding.Ok(Area, check, evidence);
    }

    private static string Advice(string check) => check switch
    {
        "save_latency" => "Saves wait on MariaDB: check its load and latency (orleans_storage_*_latency_milliseconds, slow query log).",
        _ => "Grain calls are slow: check silo CPU, orleans_scheduler_long_running_turns_total and storage latency; add a silo.",
    };

    private Finding Memory(PrometheusText scrape)
    {
        if (scrape.Total("dotnet_process_memory_working_set_bytes") is not { } bytes)
            return Finding.Ok(Area, "silo_memory", "dotnet_process_memory_working_set_bytes is not in this silo's metrics");
        string evidence = $"the silo behind {run.Api.BaseUrl.GetLeftPart(UriPartial.Authority)} uses {bytes / (1024 * 1024):0} MiB (working set)";
        // The machine's memory is known only when the silo runs here.
        if (!IsLocal()) return Finding.Ok(Area, "silo_memory", evidence);
        long total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        double percent = 100.0 * bytes / total;
        evidence += $", {percent:0.#} % of this machine's {total / (1024 * 1024):0} MiB";
        return percent > 90 ? new Finding(Area, "silo_memory", Severity.Critical, evidence, "Add memory or a silo; look for growth in orleans_grains and the GC heap.")
            : percent > 75 ? new Finding(Area, "silo_memory", Severity.Warning, evidence, "Add memory or a silo.")
            : Finding.Ok(Area, "silo_memory", evidence);
    }

    private Finding Cpu(PrometheusText before, PrometheusText after, TimeSpan window)
    {
        if (before.Total("dotnet_process_cpu_time_seconds_total") is not { } start || after.Total("dotnet_process_cpu_time_seconds_total") is not { } end)
            return Finding.Ok(Area, "silo_cpu", "dotnet_process_cpu_time_seconds_total is not in this silo's metrics");
        double cores = after.Total("dotnet_process_cpu_count") ?? 1;
        double percent = 100 * (end - start) / window.TotalSeconds / Math.Max(1, cores);
        string evidence = $"the silo behind {run.Api.BaseUrl.GetLeftPart(UriPartial.Authority)} used {percent:0.#} % of its {cores:0} core(s) over {window.TotalSeconds:0.#} s";
        return percent > 95 ? new Finding(Area, "silo_cpu", Severity.Critical, evidence, "Add a silo, or move other work off this machine.")
            : percent > 80 ? new Finding(Area, "silo_cpu", Severity.Warning, evidence, "Add a silo, or move other work off this machine.")
            : Finding.Ok(Area, "silo_cpu", evidence);
    }

    private bool IsLocal() =>
        run.Api.BaseUrl.IsLoopback;

    private async Task OverloadedAsync(CancellationToken cancellationToken)
    {
        var hosts = await run.HostsAsync(null, cancellationToken);
        var overloaded = new List<string>();
        foreach (var host in hosts.Where(h => h["status"]?.GetValue<string>() is "online" or "draining"))
        {
            var over = LimitsReached(host);
            if (over.Count > 0) overloaded.Add($"{host["hostId"]!.GetValue<string>()} ({string.Join(", ", over)})");
        }
        run.Add(overloaded.Count == 0
            ? Finding.Ok(Area, "overloaded_hosts", $"no connected host is at or over a limit ({hosts.Count} host(s) known)")
            : new Finding(Area, "overloaded_hosts", Severity.Warning, $"{overloaded.Count} host(s) at or over a limit: {string.Join("; ", overloaded)}",
                "The cluster sheds a map from a host over a limit for distribution.overload_window_ms; if this persists add hosts or lower node.max_maps on them."));
    }

    /// <summary>The limits of its capacity a host's load is at or over (cpu, memory, network, players); none when it reports no load.</summary>
    private static List<string> LimitsReached(JsonNode host)
    {
        var over = new List<string>();
        if (host["load"] is not { } load || host["capacity"] is not { } capacity) return over;
        Over(over, "cpu", load["cpuPercent"], capacity["cpuLimitPercent"], "%");
        Over(over, "memory", load["memoryPercent"], capacity["memoryLimitPercent"], "%");
        Over(over, "network", load["networkMbps"], capacity["networkLimitMbps"], " Mbit/s");
        Over(over, "players", load["players"], capacity["maxPlayers"], "");
        return over;
    }

    private static void Over(List<string> over, string what, JsonNode? value, JsonNode? limit, string unit)
    {
        if (value is null || limit is null) return;
        double v = value.GetValue<double>(), l = limit.GetValue<double>();
        if (l > 0 && v >= l) over.Add($"{what} {v:0.#}{unit} of {l:0.#}{unit}");
    }

    private async Task MapsOnVpsAsync(CancellationToken cancellationToken)
    {
        var network = await run.Api.GetAsync("network", cancellationToken);
        if (network?["p2pPaused"]?.GetValue<bool>() == true)
        {
            run.Add(new Finding(Area, "maps_on_vps", Severity.Warning,
                $"P2P placement is paused (emergency failover by {network["pausedBy"]?.GetValue<string>()} at {network["pausedAt"]?.GetValue<string>()}): every map runs on VPS",
                "When the emergency is over: p2p-control --resume-p2p (POST /api/v1/network/resume)."));
            return;
        }
        var maps = (await run.Api.GetAsync("maps", cancellationToken))?["items"]?.AsArray().Where(m => m is not null).Select(m => m!).ToList() ?? [];
        var hosts = await run.HostsAsync("online", cancellationToken);
        // Room: fewer maps than it may run, and no limit reached (an overloaded host takes no new map).
        var withRoom = hosts.Where(h => h["kind"]?.GetValue<string>() == "p2p" && h["capacity"] is { } c
            && (h["maps"]?.GetValue<int>() ?? 0) < c["maxMaps"]!.GetValue<int>() && LimitsReached(h).Count == 0).ToList();
        var movable = new List<string>();
        foreach (var map in maps.Where(m => m["hostKind"]?.GetValue<string>() == "vps"))
        {
            var policy = map["policy"];
            if (policy?["critical"]?.GetValue<bool>() == true || policy?["p2pAllowed"]?.GetValue<bool>() == false) continue;
            double minScore = policy?["minScore"]?.GetValue<double>() ?? 0;
            if (withRoom.Any(h => (h["score"]?.GetValue<double>() ?? 0) >= minScore)) movable.Add(map["name"]!.GetValue<string>());
        }
        int onVps = maps.Count(m => m["hostKind"]?.GetValue<string>() == "vps");
        run.Add(movable.Count == 0
            ? Finding.Ok(Area, "maps_on_vps", $"{onVps} of {maps.Count} map(s) on VPS, none of them could run on a P2P host with room ({withRoom.Count} such host(s))")
            : new Finding(Area, "maps_on_vps", Severity.Warning,
                $"{movable.Count} map(s) on VPS could run on P2P ({withRoom.Count} online P2P host(s) with room and the score the map asks): {string.Join(", ", movable)}",
                "The cluster does not move a map off VPS on its own once P2P hosts are back (after a failover or --emergency-failover): move them (p2p-control map move NAME --to HOSTID, or POST /api/v1/maps/NAME/move), when few players are on."));
    }
}
