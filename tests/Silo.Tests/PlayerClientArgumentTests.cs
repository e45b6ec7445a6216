using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Silo.Tests;

/// <summary>p2p-client's answers to bad input and an absent coordinator: a message naming the option, and the documented exit code.</summary>
public sealed class PlayerClientArgumentTests
{
    private static readonly string[] Credentials = ["--user", "player1", "--password", "pw"];

    [Theory]
    [InlineData("nowhere")]
    [InlineData("127.0.0.1:0")]
    [InlineData("::1:5121")]
    public async Task MalformedCoordinatorIsABadArgument(string coordinator)
    {
        await using var client = await PlayerClientCluster.RunClientAsync(["login", "--coordinator", coordinator, "--coordinator-key", KeyHex(), .. Credentials]);

        Assert.True(client.ExitCode == 2, client.Output);
        Assert.Contains($"p2p-client: --coordinator: '{coordinator}' is not host:port", client.Output);
    }

    [Fact]
    public async Task MissingKeyFileIsABadArgumentNamingTheOption()
    {
        // The process runs in an empty folder, so the default data/coordinator_ed25519.pub.pem is missing as well.
        foreach (string[] key in (string[][])[["--coordinator-key", "/nonexistent/coordinator.pub.pem"], []])
        {
            await using var client = await PlayerClientCluster.RunClientAsync(["connect", .. key, .. Credentials]);

            Assert.True(client.ExitCode == 2, client.Output);
            Assert.Contains("p2p-client: --coordinator-key: file '", client.Output);
            Assert.Contains("does not exist", client.Output);
            Assert.DoesNotContain("   at ", client.Output);
        }
    }

    [Fact]
    public async Task KeySetFileThatIsAFolderIsABadArgumentNamingTheOption()
    {
        string folder = Directory.CreateTempSubdirectory("p2p-keyset-").FullName;
        await using var client = await PlayerClientCluster.RunClientAsync(["login", "--coordinator-key", KeyHex(), "--keyset-file", folder, .. Credentials]);

        Assert.True(client.ExitCode == 2, client.Output);
        Assert.Contains($"p2p-client: --keyset-file: '{folder}' is not a file path", client.Output);
        Directory.Delete(folder);
    }

    [Fact]
    public async Task UnreachableCoordinatorExitsWithCode3()
    {
        int nobody = FreePort.Next();
        await using var client = await PlayerClientCluster.RunClientAsync(
            ["connect", "--coordinator", $"127.0.0.1:{nobody}", "--coordinator-key", KeyHex(), .. Credentials, "--json"]);

        Assert.True(client.ExitCode == 3, client.Output);
        Assert.Contains($"coordinator 127.0.0.1:{nobody} unreachable: connection refused", client.Output);
        Assert.Contains("\"exit_code\":3", client.StandardOutput);
    }

    [Fact]
    public async Task UnknownOptionsAndMissingValuesAreBadArguments()
    {
        await using var unknown = await PlayerClientCluster.RunClientAsync(["connect", "--colour", "red"]);
        await using var noUser = await PlayerClientCluster.RunClientAsync(["login", "--coordinator-key", KeyHex(), "--password", "pw"]);
        await using var badMap = await PlayerClientCluster.RunClientAsync(["resolve", "--coordinator-key", KeyHex(), .. Credentials, "--map", "no/such/map"]);

        Assert.Equal((2, 2, 2), (unknown.ExitCode, noUser.ExitCode, badMap.ExitCode));
        Assert.Contains("--colour", unknown.Output);
        Assert.Contains("p2p-client: --user: required", noUser.Output);
        Assert.Contains("p2p-client: --map: 'no/such/map' is not a map name", badMap.Output);
    }

    [Theory]
    [InlineData(new string[0], "Option '--to' is required")]
    [InlineData(new[] { "--to", "" }, "--to: '' is not a map name")]
    [InlineData(new[] { "--to", "no/such/map" }, "--to: 'no/such/map' is not a map name")]
    public async Task WarpWithoutAValidDestinationIsABadArgument(string[] to, string message)
    {
        await using var client = await PlayerClientCluster.RunClientAsync(["warp", "--coordinator-key", KeyHex(), .. Credentials, .. to]);

        Assert.True(client.ExitCode == 2, client.Output);
        Assert.Contains($"p2p-client: {message}", client.Output);
    }

    [Theory]
    [InlineData("h68894d58f18f2c34d49e", "'h68894d58f18f2c34d49e' is not HOSTID=MS")]
    [InlineData("h68894d58f18f2c34d49e=65536", "'65536' (host h68894d58f18f2c34d49e) is not a round trip of 0-65535 ms")]
    [InlineData("no/such/host=5", "'no/such/host' is not a host id")]
    public async Task ReportWithAMalformedLatencyIsABadArgument(string latency, string message)
    {
        await using var client = await PlayerClientCluster.RunClientAsync(["report", "--coordinator-key", KeyHex(), .. Credentials, "--latency", latency]);

        Assert.True(client.ExitCode == 2, client.Output);
        Assert.Contains($"p2p-client: --latency: {message}", client.Output);
    }

    [Theory]
    [InlineData("--seconds")]
    [InlineData("--retries")]
    [InlineData("--keepalive")]
    public async Task NonNumericNumberIsABadArgumentNotACrash(string option)
    {
        await using var client = await PlayerClientCluster.RunClientAsync(["connect", "--coordinator-key", KeyHex(), .. Credentials, option, "soon"]);

        Assert.True(client.ExitCode == 2, client.Output);
        Assert.Contains($"p2p-client: Cannot parse argument 'soon' for option '{option}'", client.Output);
        Assert.DoesNotContain("Unhandled exception", client.Output);
    }

    [Fact]
    public async Task HelpListsTheExitCodes()
    {
        await using var help = await PlayerClientCluster.RunClientAsync(["connect", "--help"]);

        Assert.Equal(0, help.ExitCode);
        foreach (string line in (string[])["--coordinator <host:port>", "--seconds", "Exit codes:", "4    refused", "5    map host unreachable"])
            Assert.Contains(line, help.StandardOutput);
    }

    private static string KeyHex()
    {
        using var key = SigningIdentity.Generate();
        return Convert.ToHexString(key.PublicKey);
    }
}
