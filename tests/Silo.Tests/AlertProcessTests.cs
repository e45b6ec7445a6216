using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// The built-in alerts end to end in a real silo process (<c>p2p-demo</c>): the real cluster-state grain counts the maps
/// the demo's agents run, the alert grain evaluates it, and a signed webhook reaches a receiver this test runs. The
/// other alert tests drive each rule with scripted snapshots; this one has nothing scripted.
/// </summary>
public sealed class AlertProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const string Secret = "process-test-secret-0123456789";

    [Fact]
    public async Task DemoClusterWithALowVpsShareThresholdFiresASignedWebhook()
    {
        int port = FreePort.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = ReceiveOneAsync(listener);

        using var key = new KeyFile();
        var env = SiloShutdownTests.Embedded(key, out _);
        env["P2P_monitoring__metrics_interval"] = "1000";
        env["P2P_alerts__webhooks"] = $"http://127.0.0.1:{port}/hook";
        env["P2P_alerts__webhook_secret"] = Secret;
        // The demo runs one of its five maps on its VPS agent: 20 % of the maps running, over a 10 % threshold.
        env["P2P_alerts__rules__vps_share__threshold"] = "10";
        env["P2P_alerts__rules__vps_share__for_ms"] = "0";
        string config = Path.Combine(RepoPaths.Root, "conf", "p2p", "p2p.conf");
        await using var silo = ProgramProcess.Start("Demo", ["--config", config], env, assembly: "p2p-demo");

        var (body, signature, @event) = await received.WaitAsync(Timeout);
        output.WriteLine($"{@event} {signature}\n{Encoding.UTF8.GetString(body)}");
        string expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body));
        Assert.Equal(expected, signature);
        Assert.Equal("firing", @event);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("vps_share", json.RootElement.GetProperty("rule").GetString());
        Assert.Equal("firing", json.RootElement.GetProperty("status").GetString());
        Assert.True(json.RootElement.GetProperty("value").GetDouble() > 10, "the share that crossed the threshold");
        output.WriteLine(await silo.WaitForLineAsync("Alert FIRING: vps_share", Timeout));
    }

    /// <summary>The first POST's exact body and its signature and event headers; answers 200.</summary>
    private static async Task<(byte[] Body, string? Signature, string? Event)> ReceiveOneAsync(HttpListener listener)
    {
        var context = await listener.GetContextAsync();
        using var buffer = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(buffer);
        var result = (buffer.ToArray(), context.Request.Headers["X-P2P-Signature"], context.Request.Headers["X-P2P-Event"]);
        context.Response.StatusCode = 200;
        context.Response.Close();
        return result;
    }
}
