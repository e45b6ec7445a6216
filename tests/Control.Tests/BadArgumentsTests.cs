using P2PCluster.TestSupport;

namespace P2PCluster.Control.Tests;

/// <summary>Every command's bad arguments exit 2 with a message naming the option; an API nobody serves exits 3.</summary>
public sealed class BadArgumentsTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["P2P_CONTROL_URL"] = "http://127.0.0.1:9",
        ["P2P_CONTROL_KEY"] = "some-key",
    };

    [Theory]
    [InlineData("--emergency-failover", new string[0])]
    [InlineData("--reset-network", new[] { "--emergency-failover", "--reset-network" })]
    [InlineData("--dry-run", new[] { "--emergency-failover", "--dry-run" })]
    [InlineData("--backup-state", new[] { "--backup-state" })]
    [InlineData("--restore-state", new[] { "--restore-state" })]
    [InlineData("--no-such-option", new[] { "--no-such-option" })]
    [InlineData("--url", new[] { "--url", "ftp://example.org", "status" })]
    [InlineData("--timeout", new[] { "--timeout", "0", "status" })]
    [InlineData("--timeout", new[] { "--timeout", "soon", "status" })]
    [InlineData("hostId", new[] { "host", "approve", "not a host!" })]
    [InlineData("hostId", new[] { "host", "ban" })]
    [InlineData("name", new[] { "map", "move", "far_too_long_map", "--to", "vps" })]
    [InlineData("--to", new[] { "map", "move", "prontera" })]
    [InlineData("name", new[] { "map", "disable", "far_too_long_map" })]
    [InlineData("name", new[] { "map", "enable" })]
    [InlineData("--to", new[] { "map", "move", "prontera", "--to", "bad host" })]
    [InlineData("--critical", new[] { "map", "policy", "prontera" })]
    [InlineData("--critical", new[] { "map", "policy", "prontera", "--critical", "maybe" })]
    [InlineData("--min-score", new[] { "map", "policy", "prontera", "--min-score", "101" })]
    [InlineData("--max-players", new[] { "map", "policy", "prontera", "--max-players", "0" })]
    [InlineData("--key-file", new[] { "--key-file", "/nonexistent/key", "status" })]
    [InlineData("--config", new[] { "--config", "/nonexistent/control.conf", "status" })]
    public async Task BadArgumentsExit2NamingTheOption(string option, string[] arguments)
    {
        var run = await ControlRun.RunAsync(Env, arguments);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(option, run.Output);
    }

    [Fact]
    public async Task ABadConfigFileExits2NamingTheFileAndLine()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("p2p-control-conf-").FullName, "control.conf");
        await File.WriteAllTextAsync(file, "url: http://127.0.0.1:9\npassword: nope\n");
        var run = await ControlRun.RunAsync(new Dictionary<string, string>(), "--config", file, "status");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"--config: {file} line 2", run.Output);
    }

    [Fact]
    public async Task ABadUrlInTheEnvironmentNamesTheVariable()
    {
        var run = await ControlRun.RunAsync(new Dictionary<string, string> { ["P2P_CONTROL_URL"] = "127.0.0.1:8080", ["P2P_CONTROL_KEY"] = "k" }, "status");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("P2P_CONTROL_URL", run.Output);
    }

    [Fact]
    public async Task NoKeyAnywhereExits2NamingKeyFile()
    {
        var run = await ControlRun.RunAsync(new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = "/nonexistent" }, "status");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--key-file", run.Output);
    }

    [Theory]
    [InlineData("--emergency-failover")]
    [InlineData("--resume-p2p")]
    [InlineData("--reset-network")]
    [InlineData("status")]
    public async Task AnUnreachableApiExits3(string action)
    {
        var env = new Dictionary<string, string> { ["P2P_CONTROL_URL"] = $"http://127.0.0.1:{FreePort.Next()}", ["P2P_CONTROL_KEY"] = "k" };
        var run = await ControlRun.RunAsync(env, action, "--json");
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("unreachable", run.Output);
        var error = Assert.Single(run.Events("error"));
        Assert.Equal(3, error.GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task HelpListsTheExitCodes()
    {
        var run = await ControlRun.RunAsync(null, "--help");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("--emergency-failover", run.StandardOutput);
        Assert.Contains("Exit codes:", run.StandardOutput);
    }
}
