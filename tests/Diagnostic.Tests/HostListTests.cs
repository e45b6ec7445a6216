namespace P2PCluster.Diagnostic.Tests;

/// <summary>
/// The checks read from the admin API's host and map lists (shapes of docs/admin-api.md, served by
/// <see cref="FakeAdminApi"/>): private addresses, unreachable endpoints, overloaded hosts, maps on VPS that P2P could run.
/// </summary>
public sealed class HostListTests
{
    private const string Capacity = """{"maxMaps":5,"maxPlayers":100,"cpuLimitPercent":80,"memoryLimitPercent":85,"networkLimitMbps":100}""";
    private const string Light = """{"cpuPercent":10,"memoryPercent":10,"networkMbps":1,"players":0}""";

    private static readonly string Hosts = $$"""
        {"total":3,"offset":0,"items":[
         {"hostId":"hnat","kind":"p2p","status":"online","endpoint":"10.0.0.5:6200","score":80,"load":{"cpuPercent":95,"memoryPercent":10,"networkMbps":1,"players":0},"capacity":{{Capacity}},"maps":1,"approved":true},
         {"hostId":"hpublic","kind":"p2p","status":"online","endpoint":"203.0.113.7:6200","score":70,"load":{{Light}},"capacity":{{Capacity}},"maps":0,"approved":true},
         {"hostId":"hvps","kind":"vps","status":"online","endpoint":"198.51.100.1:6200","score":90,"load":{{Light}},"capacity":{{Capacity}},"maps":2,"approved":true}]}
        """;

    private const string Maps = """
        {"items":[
         {"name":"geffen","policy":{"critical":false,"p2pAllowed":true,"maxPlayers":150,"minScore":50},"status":"assigned","hostId":"hvps","hostKind":"vps","epoch":2},
         {"name":"payon","policy":{"critical":false,"p2pAllowed":true,"maxPlayers":150,"minScore":75},"status":"assigned","hostId":"hvps","hostKind":"vps","epoch":2},
         {"name":"prontera","policy":{"critical":true,"p2pAllowed":true,"maxPlayers":300,"minScore":0},"status":"assigned","hostId":"hvps","hostKind":"vps","epoch":1},
         {"name":"morocc","policy":{"critical":false,"p2pAllowed":true,"maxPlayers":150,"minScore":0},"status":"assigned","hostId":"hnat","hostKind":"p2p","epoch":1}]}
        """;

    private static string Probe(string endpoint, bool reachable) =>
        $$"""{"hostId":"h","probes":[{"endpoint":"{{endpoint}}","reachable":{{(reachable ? "true" : "false")}},"elapsedMs":1.5,"error":{{(reachable ? "null" : "\"no answer within 3000 ms\"")}},"probedFrom":"S10.0.0.1:11111:1","probedAt":"2026-12-07T06:41:02Z","map":"geffen"}]}""";

    [Fact]
    public async Task HostsAndMapsFromTheApiAreJudged()
    {
        await using var api = new FakeAdminApi(new Dictionary<string, string>
        {
            ["/metrics"] = "",
            ["/api/v1/summary"] = "{}",
            ["/api/v1/hosts?limit=500&offset=0"] = Hosts,
            ["/api/v1/hosts?limit=500&offset=0&status=online"] = Hosts,
            ["/api/v1/hosts/hnat/reachability?timeoutMs=3000"] = Probe("10.0.0.5:6200", false),
            ["/api/v1/hosts/hpublic/reachability?timeoutMs=3000"] = Probe("203.0.113.7:6200", true),
            ["/api/v1/hosts/hvps/reachability?timeoutMs=3000"] = Probe("198.51.100.1:6200", true),
            ["/api/v1/maps"] = Maps,
            ["/api/v1/network"] = """{"p2pPaused":false,"pausedAt":null,"pausedBy":null,"resetGeneration":0}""",
        });
        // The gateway faces the internet (0.0.0.0, the default): a host on a private address is behind NAT.
        string config = Path.Combine(Directory.CreateTempSubdirectory("p2p-diag-hosts-").FullName, "p2p.conf");
        File.WriteAllText(config, "coordinator:\n  bind_address: 0.0.0.0\n");

        var run = await DiagnosticRun.RunAsync("--config", config, "--api-url", api.ApiUrl, "--network", "--performance", "--json");

        Assert.True(run.ExitCode == 5, run.Output);
        var endpoints = run.One("network/host_endpoints");
        Assert.Equal("critical", DiagnosticRun.SeverityOf(endpoints));
        Assert.Contains("host hnat at 10.0.0.5:6200: no answer within 3000 ms (map geffen, from silo S10.0.0.1:11111:1)", DiagnosticRun.EvidenceOf(endpoints));

        var nat = run.One("network/private_addresses");
        Assert.Equal("warning", DiagnosticRun.SeverityOf(nat));
        Assert.Contains("1 P2P host(s) advertise a private address", DiagnosticRun.EvidenceOf(nat));
        Assert.Contains("hnat 10.0.0.5:6200", DiagnosticRun.EvidenceOf(nat));
        Assert.DoesNotContain("hpublic", DiagnosticRun.EvidenceOf(nat));

        var overloaded = run.One("performance/overloaded_hosts");
        Assert.Equal("warning", DiagnosticRun.SeverityOf(overloaded));
        Assert.Contains("hnat (cpu 95% of 80%)", DiagnosticRun.EvidenceOf(overloaded));

        // geffen could go to hpublic (room, score 70 ≥ 50); payon asks 75, prontera is critical, morocc is on P2P.
        var vps = run.One("performance/maps_on_vps");
        Assert.Equal("warning", DiagnosticRun.SeverityOf(vps));
        Assert.EndsWith(": geffen", DiagnosticRun.EvidenceOf(vps));
    }

    [Fact]
    public async Task RefusedWritesAndABannedHostStillConnectedAreFound()
    {
        await using var api = new FakeAdminApi(new Dictionary<string, string>
        {
            ["/api/v1/alerts?state=active"] = """
                {"items":[{"id":"1","rule":"host_refused_writes","subject":"hcheat","state":"firing","value":42,"threshold":10,
                 "startedAt":"2026-12-07T03:12:05Z","firedAt":"2026-12-07T03:12:05Z","endedAt":null,
                 "summary":"host hcheat: 42 database writes refused in the last minute (threshold 10)"}]}
                """,
            ["/api/v1/hosts?limit=500&offset=0&status=banned"] = """
                {"total":2,"offset":0,"items":[{"hostId":"hbanned","kind":"p2p","status":"banned","endpoint":"203.0.113.9:6200","maps":0,"approved":false},
                 {"hostId":"hgone","kind":"p2p","status":"banned","endpoint":"203.0.113.10:6200","maps":0,"approved":false}]}
                """,
            ["/api/v1/hosts/hbanned"] = """{"summary":{"hostId":"hbanned","status":"banned"},"draining":false,"mapEpochs":{},"onlineSince":"2026-12-07T06:40:38Z","recentPlacements":[]}""",
            ["/api/v1/hosts/hgone"] = """{"summary":{"hostId":"hgone","status":"banned"},"draining":false,"mapEpochs":{},"onlineSince":null,"recentPlacements":[]}""",
        });
        string config = Path.Combine(Directory.CreateTempSubdirectory("p2p-diag-banned-").FullName, "p2p.conf");
        File.WriteAllText(config, "coordinator:\n  bind_address: 127.0.0.1\n");

        var run = await DiagnosticRun.RunAsync("--config", config, "--api-url", api.ApiUrl, "--security", "--json");

        Assert.True(run.ExitCode == 5, run.Output);
        var refused = run.One("security/refused_writes");
        Assert.Equal("warning", DiagnosticRun.SeverityOf(refused));
        Assert.Contains("host hcheat: 42 database writes refused", DiagnosticRun.EvidenceOf(refused));
        var banned = run.One("security/banned_hosts");
        Assert.Equal("critical", DiagnosticRun.SeverityOf(banned));
        Assert.Contains("hbanned (online since 2026-12-07T06:40:38Z)", DiagnosticRun.EvidenceOf(banned));
        Assert.DoesNotContain("hgone", DiagnosticRun.EvidenceOf(banned));
    }
}
