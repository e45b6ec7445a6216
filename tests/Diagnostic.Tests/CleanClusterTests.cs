using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Diagnostic.Tests;

/// <summary>A cluster run as the operations guide says reports nothing but ok, in every area, and exits 0.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class CleanClusterTests(MariaDbFixture db, ITestOutputHelper output)
{
    [Fact]
    public async Task CleanConfigurationIsReportedClean()
    {
        await using var cluster = await DiagnosticCluster.StartAsync(db.Server);
        await cluster.StartAgentAsync("127.0.0.1");

        // Latency thresholds well above what a busy two-core test machine sees: this is about a clean setup, not speed.
        var run = await DiagnosticRun.RunAsync([.. cluster.Arguments(), "--security", "--network", "--performance", "--slow-ms", "2000"]);
        output.WriteLine(run.Output);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.All(run.Findings, f => Assert.True(DiagnosticRun.SeverityOf(f) == "ok", f.ToJsonString()));
        foreach (string check in new[] { "security/coordinator_key_file", "security/encryption", "security/database_grants", "network/coordinator_port",
                     "network/db_proxy_port", "network/admin_port", "network/host_endpoints", "network/clock_skew_database", "performance/heartbeat_latency" })
            Assert.NotEmpty(run.Of(check));
        Assert.Contains("1 connected host(s) running maps, every map endpoint players are sent to answered the cluster (1 endpoint(s))",
            DiagnosticRun.EvidenceOf(run.One("network/host_endpoints")));
        Assert.Contains("nothing beyond sql/grants.sql", DiagnosticRun.EvidenceOf(run.One("security/database_grants")));
    }

    /// <summary>
    /// Seen on the demo after a failover: a host's map ran on another port of its range than the first (the one it
    /// advertises), and the probe of the advertised port, where nothing listened, was reported critical. Players are
    /// sent to the map's port: that is what is probed.
    /// </summary>
    [Fact]
    public async Task AHostWhoseMapRunsOnAnotherPortOfItsRangeIsReachable()
    {
        await using var cluster = await DiagnosticCluster.StartAsync(db.Server);
        var agent = await cluster.StartAgentAsync("127.0.0.1", firstPortTaken: true);

        var run = await DiagnosticRun.RunAsync([.. cluster.Arguments(), "--network"]);
        output.WriteLine(run.Output);

        var finding = run.One("network/host_endpoints");
        Assert.True(DiagnosticRun.SeverityOf(finding) == "ok", run.Output);
        Assert.Contains("(1 endpoint(s))", DiagnosticRun.EvidenceOf(finding));
    }
}
