using System.Diagnostics;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// SIGTERM as an operator (or systemd) sends it: the silo stops the demo's players and agents first, then the gateway's
/// connections, then the silo itself, and exits 0 well within the host's 30 s budget with every grain deactivated.
/// </summary>
public sealed class SiloShutdownTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ShutdownBudget = TimeSpan.FromSeconds(5);

    /// <summary>An embedded-default silo (no MariaDB) on free loopback ports, with the development accounts.</summary>
    internal static Dictionary<string, string> Embedded(KeyFile key, out int coordinatorPort)
    {
        coordinatorPort = FreePort.Next();
        return new()
        {
            ["P2P_cluster__silo_port"] = FreePort.Next().ToString(),
            ["P2P_cluster__gateway_port"] = FreePort.Next().ToString(),
            ["P2P_coordinator__port"] = coordinatorPort.ToString(),
            ["P2P_coordinator__bind_address"] = "127.0.0.1",
            ["P2P_coordinator__db_proxy_port"] = FreePort.Next().ToString(),
            ["P2P_http__urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["P2P_security__coordinator_key_file"] = key.Path,
            ["P2P_accounts__dev_file"] = Path.Combine(RepoPaths.Root, "conf", "p2p", "dev_accounts.yaml"),
        };
    }

    [Fact]
    public async Task SigtermOnTheDemoStopsPlayersAgentsGatewayThenSiloWithinFiveSeconds()
    {
        using var key = new KeyFile();
        // The shipped configuration: its maps are what the demo's agents run and its players play on.
        string config = Path.Combine(RepoPaths.Root, "conf", "p2p", "p2p.conf");
        await using var silo = ProgramProcess.Start("Demo", ["--config", config], Embedded(key, out _), assembly: "p2p-demo");
        output.WriteLine(await silo.WaitForLineAsync("Demo player", StartTimeout));
        // Players are playing: entered a map on a host (or warped there) through the real client library.
        output.WriteLine(await silo.WaitForLineAsync(" entered ", StartTimeout));

        await AssertStopsPromptlyAsync(silo);
        string log = silo.Output;
        int players = log.IndexOf("DEMO: players stopped", StringComparison.Ordinal);
        int agents = log.IndexOf("DEMO: agents stopped", StringComparison.Ordinal);
        int gateway = log.IndexOf("Gateway stopping", StringComparison.Ordinal);
        Assert.True(players >= 0 && agents > players && gateway > agents, $"players, then agents, then the gateway must stop:\n{log}");
        Assert.DoesNotContain("DEMO: restarting", log[players..]);
    }

    [Fact]
    public async Task SigtermWithAConnectedHostAgentExitsWithinFiveSeconds()
    {
        using var key = new KeyFile();
        var env = Embedded(key, out int coordinatorPort);
        await using var silo = ProgramProcess.Start("Silo", [], env);
        await silo.WaitForLineAsync("Silo started", StartTimeout);

        // A real host agent, heartbeating on the gateway and connected to the database proxy, as in production: its
        // connections must not hold the silo up (it reconnects to another silo, or waits for this one to return).
        await using var agent = await AgentProcess.StartAsync($"127.0.0.1:{coordinatorPort}", Convert.ToHexString(key.PublicKey), "vps",
            dbProxyPort: int.Parse(env["P2P_coordinator__db_proxy_port"]));
        await agent.WaitForLineAsync("Connected to the database proxy", StartTimeout);

        await AssertStopsPromptlyAsync(silo);
    }

    private async Task AssertStopsPromptlyAsync(ProgramProcess silo)
    {
        var watch = Stopwatch.StartNew();
        silo.Signal(ProgramProcess.SigTerm);
        int code = await silo.WaitForExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"SIGTERM → exit {code} after {watch.ElapsedMilliseconds} ms");
        Assert.True(code == 0, $"exit code {code}:\n{silo.Output}");
        Assert.True(watch.Elapsed < ShutdownBudget, $"took {watch.Elapsed} to stop:\n{silo.Output}");
        Assert.DoesNotContain("failed to deactivate", silo.Output);
        Assert.DoesNotContain("operations canceled", silo.Output);
    }
}
