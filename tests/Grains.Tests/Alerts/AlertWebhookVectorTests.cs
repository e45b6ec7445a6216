using P2PCluster.Grains.Alerts;
using P2PCluster.Grains.Interfaces;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests.Alerts;

/// <summary>The example body and signature printed in docs/monitoring.md are what the code sends.</summary>
public sealed class AlertWebhookVectorTests
{
    private const string Secret = "change-me-to-a-long-random-secret";

    [Fact]
    public void DocumentedExampleIsWhatTheCodeSends()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "monitoring.md"));
        string body = lines.Single(l => l.StartsWith("{\"version\":1,"));
        string signature = lines.Single(l => l.StartsWith("X-P2P-Signature: ")).Split(": ")[1];
        var at = new DateTimeOffset(2026, 12, 7, 3, 12, 5, 250, TimeSpan.Zero);
        var alert = new Alert("3f2a9c1e5b7d4f60a1b2c3d4e5f60718", AlertRuleNames.HostRefusedWrites, "host-7f3a9c", AlertState.Firing, 42, 10, at, at, null,
            "host host-7f3a9c: 42 database writes refused in the last minute (threshold 10)");

        byte[] sent = AlertWebhook.Body(alert, "p2p");
        Assert.Equal(body, System.Text.Encoding.UTF8.GetString(sent));
        Assert.Equal(signature, AlertWebhook.Sign(sent, Secret));
        Assert.True(AlertWebhook.Verify(sent, Secret, signature));
        Assert.False(AlertWebhook.Verify(sent, Secret + "x", signature));
        Assert.Contains(lines, l => l.Contains(signature["sha256=".Length..]) && l.StartsWith("# HMAC-SHA2-256"));
    }
}
