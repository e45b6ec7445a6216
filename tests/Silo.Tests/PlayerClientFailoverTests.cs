using System.Diagnostics;
using System.Text.Json;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// The client side of failover: <c>p2p-client connect</c> on a map whose host is killed resolves again and
/// re-enters on the host the map moved to, without being restarted.
/// </summary>
public sealed class PlayerClientFailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ConnectReentersOnTheNewHostAfterItsHostIsKilled()
    {
        await using var cluster = await DistributionCluster.StartAsync("  prontera:", $"accounts:\n  dev_file: {PlayerClientCluster.WriteAccounts()}");
        var first = await cluster.StartAgentAsync("p2p");
        var map = await PlayerClientCluster.WaitForRunningAsync(cluster, "prontera", TimeSpan.FromSeconds(30));
        var second = await cluster.StartAgentAsync("p2p");
        string firstId = DistributionCluster.HostIdOf(first), secondId = DistributionCluster.HostIdOf(second);
        Assert.Equal(firstId, map.Assignment!.HostId);

        await using var client = PlayerClientCluster.StartClient(
            ["connect", "--coordinator", $"127.0.0.1:{cluster.CoordinatorPort}", "--coordinator-key", cluster.PublicKeyFile,
             "--user", "player1", "--keepalive", "1", "--json"],
            new Dictionary<string, string> { ["P2P_CLIENT_PASSWORD"] = PlayerClientCluster.Password });
        await client.WaitForLineAsync("\"event\":\"entered\"", TimeSpan.FromSeconds(60));

        var watch = Stopwatch.StartNew();
        first.Kill();
        await WaitForAsync(() => Events(client).Count(e => e.Event == "entered") == 2, TimeSpan.FromSeconds(45), client, cluster);
        var took = watch.Elapsed;
        client.Signal(ProgramProcess.SigTerm); // leave as on Ctrl+C
        int exit = await client.WaitForExitAsync(TimeSpan.FromSeconds(20));
        output.WriteLine($"kill -9 of the host → ENTERED on the new host after {took.TotalMilliseconds:F0} ms; client said:\n{client.StandardOutput}");

        var events = Events(client);
        var entered = events.Where(e => e.Event == "entered").ToList();
        Assert.Equal([firstId, secondId], entered.Select(e => e.Json.GetProperty("host_id").GetString()));
        Assert.True(entered[1].Json.GetProperty("epoch").GetUInt64() > entered[0].Json.GetProperty("epoch").GetUInt64(), client.StandardOutput);
        int closedAt = events.FindIndex(e => e.Event == "host_closed");
        Assert.True(closedAt > events.IndexOf(entered[0]) && closedAt < events.IndexOf(entered[1]), client.StandardOutput);
        Assert.Equal("interrupted", events[^1].Json.GetProperty("reason").GetString());
        Assert.True(exit == 0, client.Output);
    }

    /// <summary>
    /// Seen from outside (README's p2p-client next to the demo's players): two clients of one character took it from
    /// each other hundreds of times a second, each re-entering as soon as the host closed it. Now the host tells the
    /// older connection SessionReplaced and the client there stops with exit code 4.
    /// </summary>
    [Fact]
    public async Task ASecondClientOfTheSameCharacterTakesItOverAndTheFirstStopsWithSessionReplaced()
    {
        await using var cluster = await DistributionCluster.StartAsync("  prontera:", $"accounts:\n  dev_file: {PlayerClientCluster.WriteAccounts()}");
        await cluster.StartAgentAsync("p2p");
        await PlayerClientCluster.WaitForRunningAsync(cluster, "prontera", TimeSpan.FromSeconds(30));
        string[] connect = ["connect", "--coordinator", $"127.0.0.1:{cluster.CoordinatorPort}", "--coordinator-key", cluster.PublicKeyFile,
            "--user", "player1", "--keepalive", "1", "--json"];
        var environment = new Dictionary<string, string> { ["P2P_CLIENT_PASSWORD"] = PlayerClientCluster.Password };

        await using var first = PlayerClientCluster.StartClient(connect, environment);
        await first.WaitForLineAsync("\"event\":\"entered\"", TimeSpan.FromSeconds(60));
        await using var second = PlayerClientCluster.StartClient(connect, environment);
        await second.WaitForLineAsync("\"event\":\"entered\"", TimeSpan.FromSeconds(60));

        int exit = await first.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.True(exit == 4, first.Output);
        Assert.Contains("SessionReplaced (18)", first.Output);
        Assert.Single(Events(first), e => e.Event == "entered"); // it did not come back for the character
        await Task.Delay(TimeSpan.FromSeconds(2)); // real time: keep-alives every second, so the second process would notice a close
        Assert.False(second.HasExited, second.Output);
        Assert.Single(Events(second), e => e.Event == "entered");
        second.Signal(ProgramProcess.SigTerm);
        Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }

    private static List<(string Event, JsonElement Json)> Events(ProgramProcess client) =>
    [
        .. client.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(json => (json.GetProperty("event").GetString()!, json)),
    ];

    private static Task WaitForAsync(Func<bool> condition, TimeSpan timeout, ProgramProcess client, DistributionCluster cluster) =>
        Eventually.TrueAsync(condition, "the client's line", timeout, seen: () => $"\n--- client ---\n{client.Output}{cluster.Logs()}");
}
