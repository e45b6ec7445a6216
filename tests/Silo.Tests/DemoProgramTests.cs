using System.Text.Json;
using P2PCluster.TestSupport;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// The demo (in-process host agents and players) is its own program, <c>p2p-demo</c> (src/Demo): the coordinator silo
/// does not carry the host agent, and no longer takes <c>--demo</c>.
/// </summary>
public sealed class DemoProgramTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public void TheSiloDoesNotCarryTheHostAgent()
    {
        using var deps = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(RepoPaths.Program("Silo"), ".deps.json")));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains(libraries, name => name.StartsWith("P2PCluster.Gateway/", StringComparison.Ordinal));
        Assert.DoesNotContain(libraries, name => name.StartsWith("P2PCluster.HostAgent/", StringComparison.Ordinal) || name.StartsWith("P2PCluster.Client/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSiloRefusesDemoAndTheDemoProgramRequiresTheHostedGateway()
    {
        await using var silo = ProgramProcess.Start("Silo", ["--demo"]);
        Assert.True(await silo.WaitForExitAsync(Timeout) is not 0, silo.Output);
        Assert.Contains("--demo", silo.Output);

        await using var demo = ProgramProcess.Start("Demo", [], new Dictionary<string, string> { ["P2P_coordinator__hosted_gateway"] = "false" }, assembly: "p2p-demo");
        Assert.Equal(2, await demo.WaitForExitAsync(Timeout)); // bad configuration (src/Silo/ExitCodes.cs)
        Assert.Contains("p2p-demo: needs the gateway in this silo (coordinator.hosted_gateway: true)", demo.Output);
    }
}
