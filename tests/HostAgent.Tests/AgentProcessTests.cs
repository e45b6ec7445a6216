using P2PCluster.Protocol;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.HostAgent.Tests;

/// <summary><c>p2p-host-agent</c> as a real process: config checks, exit codes, and a daemon run ended by SIGTERM.</summary>
public sealed class AgentProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string SomeKey = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="; // docs/protocol.md §8 test key

    [Fact]
    public async Task CheckConfigPrintsTheConfigurationAndExitsZero()
    {
        await using var agent = await ProgramProcess.RunAsync("HostAgent", ["--check-config"],
            new Dictionary<string, string>
            {
                ["P2P_coordinator__public_key"] = SomeKey, ["P2P_identity__kind"] = "vps", ["P2P_coordinator__db_proxy_port"] = "6122",
                ["P2P_CLIENT_PASSWORD"] = "player1pw", // the game client's, not configuration: no "unknown section"
            }, Timeout);
        output.WriteLine(agent.Output);
        Assert.Equal(0, agent.ExitCode);
        Assert.Contains("coordinator: endpoints=127.0.0.1:5121", agent.Output);
        Assert.Contains("heartbeat_interval=1000ms lease=2500ms db_proxy_port=6122", agent.Output);
        Assert.Contains("identity: key_file=data/host_ed25519.pem kind=vps advertised_host=127.0.0.1 (endpoint 127.0.0.1:6200)", agent.Output);
        Assert.Contains("coordinator key: inline key (key id 56475aa75463474c)", agent.Output);
        Assert.Contains("does not exist yet; the agent creates it on first run", agent.Output);
        Assert.False(File.Exists(Path.Combine(agent.WorkingDirectory, "data", "host_ed25519.pem")), "--check-config must not create the key");
    }

    [Fact]
    public async Task BadConfigurationExitsTwoNamingEachKey()
    {
        await using var agent = await ProgramProcess.RunAsync("HostAgent", [],
            new Dictionary<string, string>
            {
                ["P2P_identity__kind"] = "laptop", ["P2P_maps__port_range_end"] = "100", ["P2P_coordinator__endpoints"] = "nowhere",
                ["P2P_coordinator__db_proxy_port"] = "0",
            },
            Timeout);
        output.WriteLine(agent.Output);
        Assert.Equal(2, agent.ExitCode);
        Assert.Contains("identity.kind: 'laptop' is not one of: p2p, vps", agent.Output);
        Assert.Contains("maps.port_range_end = 100: must not be below maps.port_range_start (6200)", agent.Output);
        Assert.Contains("coordinator.endpoints = 'nowhere'", agent.Output);
        Assert.Contains("coordinator.db_proxy_port = 0: must be a TCP port between 1 and 65535", agent.Output);
    }

    [Fact]
    public async Task MissingCoordinatorKeyExitsTwoNamingTheKey()
    {
        // The default public_key is data/coordinator_ed25519.pub.pem, absent in the process's empty folder.
        await using var agent = await ProgramProcess.RunAsync("HostAgent", [], null, Timeout);
        Assert.Equal(2, agent.ExitCode);
        Assert.Contains("coordinator.public_key: file '", agent.Output);
        Assert.Contains("data/coordinator_ed25519.pub.pem' does not exist", agent.Output);
    }

    [Fact]
    public async Task DaemonHostsAnAssignedMapAndLeavesCleanlyOnSigterm()
    {
        await using var coordinator = new TestCoordinator();
        var (start, end) = TestPorts.Range(3);
        await using var agent = ProgramProcess.Start("HostAgent", [], new Dictionary<string, string>
        {
            ["P2P_coordinator__endpoints"] = coordinator.EndpointText,
            ["P2P_coordinator__public_key"] = coordinator.PublicKeyHex,
            ["P2P_coordinator__heartbeat_interval_ms"] = "200",
            ["P2P_maps__port_range_start"] = start.ToString(),
            ["P2P_maps__port_range_end"] = end.ToString(),
            ["P2P_maps__bind_address"] = "127.0.0.1",
            ["P2P_node__max_maps"] = "2",
        });
        string connected = await agent.WaitForLineAsync("Connected to coordinator", Timeout);
        var session = await coordinator.NextSessionAsync(Timeout);
        Assert.Contains($"Connected to coordinator {coordinator.EndpointText} as {session.HostId}", connected);
        string keyFile = Path.Combine(agent.WorkingDirectory, "data", "host_ed25519.pem");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Contains($"Created host key {keyFile} (mode 0600); host id {session.HostId}", agent.Output);

        await session.SendAsync(new AssignMapPacket("prontera", 1, 50));
        string running = await agent.WaitForLineAsync("Map prontera running on port", Timeout);
        Assert.Contains($"Map prontera running on port {start} (epoch 1)", running);
        await session.WaitForAsync<HeartbeatPacket>(h => h.Maps.Count == 1, Timeout);

        agent.Signal(ProgramProcess.SigTerm);
        Assert.Equal(0, await agent.WaitForExitAsync(Timeout));
        await session.Closed.WaitAsync(Timeout);
        output.WriteLine(agent.Output);
        Assert.Contains("Map prontera stopped (epoch 1, shutdown)", agent.Output);
        Assert.Contains(new MapStatePacket("prontera", 1, MapRunState.Stopped, 0), session.All<MapStatePacket>());
        Assert.True(session.ByeReceived, session.Describe());
    }
}
