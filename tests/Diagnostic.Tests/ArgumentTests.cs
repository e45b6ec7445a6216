using P2PCluster.TestSupport;

namespace P2PCluster.Diagnostic.Tests;

/// <summary>Bad arguments exit 2 naming the option or key; an admin API nobody serves exits 3.</summary>
public sealed class ArgumentTests
{
    [Theory]
    [InlineData(new[] { "--timeout-ms", "5" }, "--timeout-ms: must be 100 to 60000")]
    [InlineData(new[] { "--timeout-ms", "soon" }, "--timeout-ms")]
    [InlineData(new[] { "--colour", "red" }, "--colour")]
    [InlineData(new[] { "--config", "/nonexistent/p2p.conf" }, "--config: file '/nonexistent/p2p.conf' does not exist")]
    [InlineData(new[] { "--api-url", "ftp://example.org" }, "--api-url: 'ftp://example.org' is not an http:// or https:// URL")]
    [InlineData(new[] { "--api-key-file", "/nonexistent/key" }, "--api-key-file: file '/nonexistent/key' does not exist")]
    [InlineData(new[] { "--max-key-age-days", "0" }, "--max-key-age-days: must be 1 to 3650")]
    public async Task BadArgumentsExit2NamingTheOption(string[] arguments, string message)
    {
        var run = await DiagnosticRun.RunAsync(arguments);

        Assert.True(run.ExitCode == 2, run.Output);
        Assert.Contains(message, run.Output);
        Assert.DoesNotContain("   at ", run.Output);
    }

    [Fact]
    public async Task HelpListsTheExitCodes()
    {
        var run = await DiagnosticRun.RunAsync("--help");

        Assert.True(run.ExitCode == 0, run.Output);
        foreach (string line in (string[])["--security", "--network", "--performance", "Exit codes:", "3    the admin API", "5    at least one finding"])
            Assert.Contains(line, run.Output);
    }

    [Fact]
    public async Task BadKeyInTheConfigurationExits2NamingTheKey()
    {
        string dir = Directory.CreateTempSubdirectory("p2p-diag-args-").FullName;
        string config = Path.Combine(dir, "p2p.conf");
        File.WriteAllText(config, "security:\n  encryption_enabled: maybe\n");

        var run = await DiagnosticRun.RunAsync("--config", config, "--security");

        Assert.True(run.ExitCode == 2, run.Output);
        Assert.Contains("--config: security.encryption_enabled: 'maybe' is not a boolean", run.Output);
    }

    [Fact]
    public async Task UnreachableAdminApiExits3()
    {
        string dir = Directory.CreateTempSubdirectory("p2p-diag-args-").FullName;
        string config = Path.Combine(dir, "p2p.conf");
        File.WriteAllText(config, "security:\n  coordinator_key_file: \"\"\n");
        int nobody = FreePort.Next();

        var run = await DiagnosticRun.RunAsync("--config", config, "--api-url", $"http://127.0.0.1:{nobody}/api/v1", "--security", "--json");

        Assert.True(run.ExitCode == 3, run.Output);
        Assert.Contains($"admin API http://127.0.0.1:{nobody}/api/v1/", run.Output);
        Assert.Contains("connection refused", run.Output);
        Assert.Contains("\"exit_code\":3", run.Output);
        // The checks that need no API still ran.
        Assert.NotEmpty(run.Of("security/encryption"));
    }
}
