using System.Net.Http.Json;
using System.Text.Json;

namespace P2PCluster.Control.Tests;

/// <summary>
/// The seed's emergency commands as typed, and the host and map actions, run as the real program against a p2p-demo
/// silo: each takes effect (seen through the API, not just answered), reports progress, and a repeat changes nothing.
/// </summary>
[Collection(DemoSiloCollection.Name)]
public sealed class ActionTests(DemoSiloFixture fixture)
{
    private ControlSilo Silo => fixture.Silo;

    [Fact]
    public async Task EmergencyFailoverMovesEveryP2PMapWithProgressAndResumeLiftsThePause()
    {
        await Silo.WaitForP2PMapsAsync(TimeSpan.FromSeconds(60));
        int onP2P = (await Silo.MapsAsync()).Count(IsOnP2P);

        var run = await ControlRun.RunAsync(Silo.ControlEnvironment(), "--emergency-failover", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var progress = run.Events("progress");
        Assert.True(progress.Count >= 2, run.ToString());
        Assert.All(progress, p => Assert.Equal(onP2P, p.GetProperty("total").GetInt32()));
        Assert.Equal(0, progress[0].GetProperty("done").GetInt32());
        Assert.Equal(onP2P, progress[^1].GetProperty("done").GetInt32());
        var result = Assert.Single(run.Events("result"));
        Assert.True(result.GetProperty("changed").GetBoolean());
        Assert.DoesNotContain(await Silo.MapsAsync(), IsOnP2P);
        using var client = Silo.Client();
        var network = await client.GetFromJsonAsync<JsonElement>("/api/v1/network");
        Assert.True(network.GetProperty("p2pPaused").GetBoolean());
        Assert.Equal("ops", network.GetProperty("pausedBy").GetString());

        var again = await ControlRun.RunAsync(Silo.ControlEnvironment(), "--emergency-failover");
        Assert.True(again.ExitCode == 0, again.ToString());

        var resume = await ControlRun.RunAsync(Silo.ControlEnvironment(), "--resume-p2p");
        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.False((await client.GetFromJsonAsync<JsonElement>("/api/v1/network")).GetProperty("p2pPaused").GetBoolean());
        // Resume only lets P2P hosts take maps again; a reset places them anew (P2P first), for the tests after this one.
        using var reset = await client.PostAsync("/api/v1/network/reset", null);
        Assert.True(reset.IsSuccessStatusCode, await reset.Content.ReadAsStringAsync());
        await Silo.WaitForP2PMapsAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task ResetNetworkAsTypedGivesEveryPlacedMapANewEpoch()
    {
        await Silo.WaitForP2PMapsAsync(TimeSpan.FromSeconds(60));
        var before = (await Silo.MapsAsync()).Where(m => m.GetProperty("hostId").ValueKind == JsonValueKind.String)
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("epoch").GetInt64());

        var run = await ControlRun.RunAsync(Silo.ControlEnvironment(), "--reset-network");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"maps moved 0/{before.Count}", run.Output);

        var after = (await Silo.MapsAsync()).ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("epoch").GetInt64());
        Assert.All(before, b => Assert.True(after[b.Key] > b.Value, $"{b.Key}: epoch {b.Value} -> {after[b.Key]}\n{run}"));
    }

    [Fact]
    public async Task HostDrainMovesItsMapsAndUndrainAndRepeatsChangeNothing()
    {
        await Silo.WaitForP2PMapsAsync(TimeSpan.FromSeconds(60));
        var maps = await Silo.MapsAsync();
        string hostId = maps.Where(IsOnP2P).GroupBy(m => m.GetProperty("hostId").GetString()!).OrderByDescending(g => g.Count()).First().Key;
        int held = maps.Count(m => m.GetProperty("hostId").GetString() == hostId);

        var drain = await ControlRun.RunAsync(Silo.ControlEnvironment(), "host", "drain", hostId);
        Assert.True(drain.ExitCode == 0, drain.ToString());
        Assert.Contains($"maps moved {held}/{held}", drain.Output);
        Assert.DoesNotContain((await Silo.MapsAsync()), m => m.GetProperty("hostId").GetString() == hostId);

        var again = await ControlRun.RunAsync(Silo.ControlEnvironment(), "host", "drain", hostId, "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.False(Assert.Single(again.Events("result")).GetProperty("changed").GetBoolean());

        var undrain = await ControlRun.RunAsync(Silo.ControlEnvironment(), "host", "undrain", hostId);
        Assert.True(undrain.ExitCode == 0, undrain.ToString());
    }

    [Fact]
    public async Task MapMoveAndPolicyTakeEffectAndARefusalExits4WithTheProblem()
    {
        await Silo.WaitForP2PMapsAsync(TimeSpan.FromSeconds(60));
        string map = (await Silo.MapsAsync()).First(IsOnP2P).GetProperty("name").GetString()!;

        var move = await ControlRun.RunAsync(Silo.ControlEnvironment(), "map", "move", map, "--to", "vps");
        Assert.True(move.ExitCode == 0, move.ToString());
        Assert.Equal("vps", (await Silo.MapsAsync()).Single(m => m.GetProperty("name").GetString() == map).GetProperty("hostKind").GetString());

        var policy = await ControlRun.RunAsync(Silo.ControlEnvironment(), "map", "policy", map, "--max-players", "123", "--min-score", "5");
        Assert.True(policy.ExitCode == 0, policy.ToString());
        var now = (await Silo.MapsAsync()).Single(m => m.GetProperty("name").GetString() == map).GetProperty("policy");
        Assert.Equal(123, now.GetProperty("maxPlayers").GetInt32());
        Assert.Equal(5, now.GetProperty("minScore").GetDouble());

        // prontera is critical in p2p.conf: a P2P host may not take it.
        string p2pHost = (await Silo.MapsAsync()).First(IsOnP2P).GetProperty("hostId").GetString()!;
        var refused = await ControlRun.RunAsync(Silo.ControlEnvironment(), "map", "move", "prontera", "--to", p2pHost, "--json");
        Assert.True(refused.ExitCode == 4, refused.ToString());
        var error = Assert.Single(refused.Events("error"));
        Assert.Equal(409, error.GetProperty("status").GetInt32());
        Assert.Equal("PolicyViolation", error.GetProperty("code").GetString());

        var unknown = await ControlRun.RunAsync(Silo.ControlEnvironment(), "host", "approve", "hnosuchhost000000000");
        Assert.True(unknown.ExitCode == 4, unknown.ToString());
        Assert.Contains("404 Not found", unknown.Output);
    }

    [Fact]
    public async Task MapDisableTakesItOffItsHostEnablePlacesItAgainAndRepeatsChangeNothing()
    {
        await Silo.WaitForP2PMapsAsync(TimeSpan.FromSeconds(60));
        string map = (await Silo.MapsAsync()).First(m => m.GetProperty("hostId").ValueKind == JsonValueKind.String).GetProperty("name").GetString()!;
        async Task<JsonElement> MapAsync() => (await Silo.MapsAsync()).Single(m => m.GetProperty("name").GetString() == map);
        try
        {
            var disable = await ControlRun.RunAsync(Silo.ControlEnvironment(), "map", "disable", map);
            Assert.True(disable.ExitCode == 0, disable.ToString());
            Assert.Contains("maps moved 1/1", disable.Output);
            var now = await MapAsync();
            Assert.Equal(("disabled", JsonValueKind.Null), (now.GetProperty("status").GetString(), now.GetProperty("hostId").ValueKind));

            var again = await ControlRun.RunAsync(Silo.ControlEnvironment(), "map", "disable", map, "--json");
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.False(Assert.Single(again.Events("result")).GetProperty("changed").GetBoolean());

            var enable = await ControlRun.RunAsync(Silo.ControlEnvironment(), "map", "enable", map);
            Assert.True(enable.ExitCode == 0, enable.ToString());
            Assert.Equal("assigned", (await MapAsync()).GetProperty("status").GetString());
        }
        finally
        {
            // The fixture is shared: never leave the map out of service for the tests after this one.
            using var client = Silo.Client();
            using var _ = await client.PostAsync($"/api/v1/maps/{map}/enable", null);
        }

        var unknown = await ControlRun.RunAsync(Silo.ControlEnvironment(), "map", "disable", "nosuchmap");
        Assert.True(unknown.ExitCode == 4, unknown.ToString());
        Assert.Contains("404 Not found", unknown.Output);
    }

    [Fact]
    public async Task AWrongKeyExits4AndTheConfigFileIsRead()
    {
        var env = new Dictionary<string, string> { ["P2P_CONTROL_URL"] = Silo.BaseUrl, ["P2P_CONTROL_KEY"] = "not-the-key" };
        var wrong = await ControlRun.RunAsync(env, "status");
        Assert.True(wrong.ExitCode == 4, wrong.ToString());
        Assert.Contains("Unauthorized", wrong.Output);

        var dir = Directory.CreateTempSubdirectory("p2p-control-conf-");
        await File.WriteAllTextAsync(Path.Combine(dir.FullName, "ops.key"), ControlSilo.OperateKey + "\n");
        string config = Path.Combine(dir.FullName, "control.conf");
        await File.WriteAllTextAsync(config, $"# p2p-control\nurl: {Silo.BaseUrl}/api/v1\nkey_file: ops.key\n");
        var status = await ControlRun.RunAsync(new Dictionary<string, string>(), "status", "--config", config);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("P2P placement", status.StandardOutput);
        dir.Delete(recursive: true);
    }

    private static bool IsOnP2P(JsonElement map) =>
        map.GetProperty("hostKind").ValueKind == JsonValueKind.String && map.GetProperty("hostKind").GetString() == "p2p";
}
