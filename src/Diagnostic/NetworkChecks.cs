using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using P2PCluster.Hosting;

namespace P2PCluster.Diagnostic;

/// <summary>
/// <c>--network</c>: the coordinator's ports reachable from here, every host's advertised endpoint reachable from the
/// cluster's side (GET /hosts/{id}/reachability), hosts advertising private addresses, and clock skew.
/// </summary>
public sealed class NetworkChecks(CheckRun run)
{
    private const string Area = "network";

    /// <summary>Hosts probed at once: each probe is one bounded connect on a silo.</summary>
    private const int ProbeParallelism = 16;

    private CoordinatorSettings Settings => run.Arguments.Settings;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await PortAsync("coordinator_port", "coordinator.port (gateway for hosts and players)", run.Arguments.Host, Settings.Coordinator.Port, cancellationToken);
        await PortAsync("db_proxy_port", "coordinator.db_proxy_port (database proxy for hosts)", run.Arguments.Host, Settings.Coordinator.DbProxyPort, cancellationToken);
        var api = run.Api.BaseUrl;
        await PortAsync("admin_port", $"the admin API ({api.GetLeftPart(UriPartial.Authority)})", api.Host.Trim('[', ']'), api.Port, cancellationToken);
        IReadOnlyList<JsonNode> hosts = [];
        await run.WithApiAsync(Area, "host_endpoints", async () =>
        {
            hosts = (await run.HostsAsync(null, cancellationToken))
                .Where(h => h["status"]?.GetValue<string>() is "online" or "draining").ToList();
            await EndpointsAsync(hosts, cancellationToken);
        });
        await run.WithApiAsync(Area, "private_addresses", () => { PrivateEndpoints(hosts); return Task.CompletedTask; });
        await new ClockChecks(run).RunAsync(cancellationToken);
    }

    private async Task PortAsync(string check, string what, string host, int port, CancellationToken cancellationToken)
    {
        var (error, elapsed) = await TcpDial.TryAsync(host, port, run.Arguments.Timeout, cancellationToken);
        string where = host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
        run.Add(error is null
            ? Finding.Ok(Area, check, $"{what} at {where} accepts connections ({elapsed.TotalMilliseconds:0} ms)")
            : new Finding(Area, check, Severity.Critical, $"{what} at {where}: {error}",
                "Check that the silo (or stand-alone gateway) runs and listens there, and the firewall between here and it; --host dials another address."));
    }

    private async Task EndpointsAsync(IReadOnlyList<JsonNode> hosts, CancellationToken cancellationToken)
    {
        int timeoutMs = (int)Math.Min(run.Arguments.Timeout.TotalMilliseconds, 4000);
        var unreachable = new ConcurrentBag<string>();
        int probedHosts = 0, endpoints = 0, idle = 0;
        bool noRoute = false;
        await Parallel.ForEachAsync(hosts, new ParallelOptions { MaxDegreeOfParallelism = ProbeParallelism, CancellationToken = cancellationToken },
            async (host, token) =>
            {
                string id = host["hostId"]!.GetValue<string>();
                var answer = await run.Api.GetAsync($"hosts/{Uri.EscapeDataString(id)}/reachability?timeoutMs={timeoutMs}", token);
                if (answer is null)
                {
                    noRoute = true;
                    return;
                }
                var probes = answer["probes"]?.AsArray() ?? [];
                if (probes.Count == 0)
                {
                    Interlocked.Increment(ref idle); // runs no map: players are sent nowhere on it
                    return;
                }
                Interlocked.Increment(ref probedHosts);
                foreach (var probe in probes)
                {
                    Interlocked.Increment(ref endpoints);
                    if (probe?["reachable"]?.GetValue<bool>() != true)
                        unreachable.Add($"{id} at {probe?["endpoint"]?.GetValue<string>()}: {probe?["error"]?.GetValue<string>()} " +
                            $"(map {probe?["map"]?.GetValue<string>()}, from silo {probe?["probedFrom"]?.GetValue<string>()})");
                }
            });
        if (noRoute && probedHosts + idle == 0)
            run.Add(new Finding(Area, "host_endpoints", Severity.Warning, "this cluster has no GET /api/v1/hosts/{id}/reachability: hosts' endpoints were not probed", "Upgrade the silos."));
        else if (unreachable.IsEmpty)
            run.Add(Finding.Ok(Area, "host_endpoints", $"{probedHosts} connected host(s) running maps, every map endpoint players are sent to answered the cluster " +
                $"({endpoints} endpoint(s)){(idle > 0 ? $"; {idle} run no map, nothing to probe" : "")}"));
        else
            foreach (string host in unreachable.Order(StringComparer.Ordinal))
                run.Add(new Finding(Area, "host_endpoints", Severity.Critical, $"host {host}: players sent there cannot connect",
                    "Check the host's identity.advertised_host, its port forwarding (maps.port_range_start…end) and firewall; drain it until fixed."));
    }

    private void PrivateEndpoints(IReadOnlyList<JsonNode> hosts)
    {
        var p2p = hosts.Where(h => h["kind"]?.GetValue<string>() == "p2p" && h["endpoint"] is not null).ToList();
        var inPrivate = p2p.Select(h => (Id: h["hostId"]!.GetValue<string>(), Endpoint: h["endpoint"]!.GetValue<string>()))
            .Where(h => PrivateAddresses.AddressOf(h.Endpoint) is { } a && PrivateAddresses.IsPrivate(a)).ToList();
        bool privateCluster = IPAddress.TryParse(Settings.Coordinator.BindAddress, out var bind) && !bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any) && PrivateAddresses.IsPrivate(bind);
        if (inPrivate.Count == 0)
            run.Add(Finding.Ok(Area, "private_addresses", $"none of {p2p.Count} connected P2P host(s) advertises a private address"));
        else if (privateCluster)
            run.Add(Finding.Ok(Area, "private_addresses", $"{inPrivate.Count} P2P host(s) advertise private addresses, as the gateway itself listens on {Settings.Coordinator.BindAddress} (a private network)"));
        else
            run.Add(new Finding(Area, "private_addresses", Severity.Warning,
                $"{inPrivate.Count} P2P host(s) advertise a private address players on the internet cannot reach: {string.Join(", ", inPrivate.Select(h => $"{h.Id} {h.Endpoint}"))}",
                "Those hosts are behind NAT: set identity.advertised_host to their public address and forward maps.port_range_start…end, or keep them off the network."));
    }
}
