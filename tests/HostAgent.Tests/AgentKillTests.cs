using P2PCluster.Protocol;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.HostAgent.Tests;

/// <summary>A map program must not outlive its agent, however the agent ends: a server left running would go on serving a map the coordinator has moved.</summary>
public sealed class AgentKillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const int SigKill = 9;

    [Fact]
    public async Task MapProgramDiesWithAnAgentKilledWithSigkill()
    {
        await using var coordinator = new TestCoordinator();
        var (start, end) = TestPorts.Range(2);
        string pidFile = Path.Combine(Directory.CreateTempSubdirectory("p2p-kill-").FullName, "pid");
        await using var agent = ProgramProcess.Start("HostAgent", [], new Dictionary<string, string>
        {
            ["P2P_coordinator__endpoints"] = coordinator.EndpointText,
            ["P2P_coordinator__public_key"] = coordinator.PublicKeyHex,
            ["P2P_coordinator__heartbeat_interval_ms"] = "200",
            ["P2P_maps__port_range_start"] = start.ToString(),
            ["P2P_maps__port_range_end"] = end.ToString(),
            ["P2P_maps__command"] = $"/bin/sh -c 'echo $$ > {pidFile}; exec sleep 300'",
            ["P2P_node__max_maps"] = "1",
        });
        await agent.WaitForLineAsync("Connected to coordinator", Timeout);
        var session = await coordinator.NextSessionAsync(Timeout);
        await session.SendAsync(new AssignMapPacket("prontera", 1, 50));
        await agent.WaitForLineAsync("Map prontera running on port", Timeout);
        await Eventually.HoldsAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, Timeout, () => agent.Output);
        int program = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.True(IsAlive(program), $"map program {program} is not running");

        agent.Signal(SigKill);
        await agent.WaitForExitAsync(Timeout);
        try
        {
            await Eventually.HoldsAsync(() => !IsAlive(program), TimeSpan.FromSeconds(5), () => $"map program {program} still runs after the agent was killed");
        }
        finally
        {
            output.WriteLine(agent.Output);
            if (IsAlive(program)) System.Diagnostics.Process.GetProcessById(program).Kill();
            Directory.Delete(Path.GetDirectoryName(pidFile)!, recursive: true);
        }
    }

    /// <summary>Alive and not a zombie.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
