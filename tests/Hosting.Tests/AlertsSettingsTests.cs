using Microsoft.Extensions.Configuration;

namespace P2PCluster.Hosting.Tests;

public sealed class AlertsSettingsTests
{
    private const string Secret = "0123456789abcdef0123";

    private static CoordinatorSettings Load(params (string Key, string Value)[] values) =>
        CoordinatorSettings.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    private static ConfigurationException Rejects(params (string Key, string Value)[] values) =>
        Assert.Throws<ConfigurationException>(() => Load(values));

    [Fact]
    public void DefaultsAreSaneAndEveryRuleIsOn()
    {
        var a = Load().Alerts;
        Assert.Equal(30, a.HistoryDays);
        Assert.Empty(a.Webhooks);
        Assert.Equal(1, a.MinSilos);
        var rules = a.Rules.All(a.MinSilos).ToDictionary(r => r.Name);
        Assert.Equal(["database_unreachable", "host_churn", "host_refused_writes", "map_unassigned", "min_silos", "ticket_refusals", "vps_share"],
            rules.Keys.Order());
        Assert.All(rules.Values, r => Assert.True(r.Enabled));
        Assert.Equal(60, rules["map_unassigned"].Threshold);
        Assert.Equal(50, rules["vps_share"].Threshold);
        Assert.Equal(300_000, rules["vps_share"].ForMs);
        Assert.Equal(1, rules["min_silos"].Threshold);
    }

    [Fact]
    public void ShippedFileGivesTheDefaults()
    {
        var configuration = P2PConfiguration.Build(Path.Combine(TestSupport.RepoPaths.Root, "conf", "p2p", "p2p.conf"), "unused");
        var fromFile = CoordinatorSettings.Load(configuration).Alerts;
        var defaults = Load().Alerts;
        Assert.Empty(fromFile.Webhooks);
        Assert.Equal(defaults.HistoryDays, fromFile.HistoryDays);
        Assert.Equal(defaults.WebhookTimeoutMs, fromFile.WebhookTimeoutMs);
        Assert.Equal(defaults.WebhookAttempts, fromFile.WebhookAttempts);
        Assert.Equal(defaults.Rules.All(1), fromFile.Rules.All(1));
    }

    [Fact]
    public void YamlListAndNestedRulesBind()
    {
        string file = Path.Combine(Path.GetTempPath(), $"alerts-{Guid.NewGuid():N}.conf");
        File.WriteAllText(file, $"""
            alerts:
              webhooks:
                - http://127.0.0.1:9000/hook
                - https://ops.example.org/p2p
              webhook_secret: "{Secret}"
              min_silos: 3
              rules:
                vps_share:
                  threshold: 75.5
                host_churn:
                  enabled: false
                  for_ms: 1000
            """);
        try
        {
            var a = CoordinatorSettings.Load(P2PConfiguration.Build(file, "unused")).Alerts;
            Assert.Equal(["http://127.0.0.1:9000/hook", "https://ops.example.org/p2p"], a.Webhooks);
            Assert.Equal(75.5, a.Rules.VpsShare.Threshold);
            Assert.Equal(300_000, a.Rules.VpsShare.ForMs); // a key left out keeps the rule's default
            Assert.False(a.Rules.HostChurn.Enabled);
            Assert.Equal(1000, a.Rules.HostChurn.ForMs);
            Assert.Equal(20, a.Rules.HostChurn.Threshold);
            Assert.Equal(3, a.Rules.All(a.MinSilos).Single(r => r.Name == "min_silos").Threshold);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void SemicolonSeparatedWebhooksBindFromOneValue()
    {
        var a = Load(("alerts:webhooks", "http://a.example/x; https://b.example/y"), ("alerts:webhook_secret", Secret)).Alerts;
        Assert.Equal(["http://a.example/x", "https://b.example/y"], a.Webhooks);
    }

    [Theory]
    [InlineData("alerts:rules:map_unassigned:threshold", "-1", "alerts.rules.map_unassigned.threshold = -1")]
    [InlineData("alerts:rules:vps_share:threshold", "101", "alerts.rules.vps_share.threshold = 101")]
    [InlineData("alerts:rules:host_churn:for_ms", "-5", "alerts.rules.host_churn.for_ms = -5")]
    [InlineData("alerts:rules:ticket_refusals:threshold", "lots", "alerts.rules.ticket_refusals.threshold: 'lots' is not a number")]
    [InlineData("alerts:rules:database_unreachable:enabled", "maybe", "alerts.rules.database_unreachable.enabled: 'maybe'")]
    [InlineData("alerts:history_days", "0", "alerts.history_days = 0")]
    [InlineData("alerts:min_silos", "0", "alerts.min_silos = 0")]
    [InlineData("alerts:webhook_timeout_ms", "10", "alerts.webhook_timeout_ms = 10")]
    [InlineData("alerts:webhook_attempts", "0", "alerts.webhook_attempts = 0")]
    [InlineData("alerts:rules:min_silos:threshold", "2", "alerts.rules.min_silos.threshold: unknown key")]
    public void BadValueNamesTheKey(string key, string value, string named)
    {
        var e = Rejects((key, value));
        Assert.Contains(e.Errors, m => m.StartsWith(named));
    }

    [Fact]
    public void UnknownRuleNamesTheKeyAndTheKnownRules()
    {
        var e = Rejects(("alerts:rules:map_lost:threshold", "1"));
        var error = Assert.Single(e.Errors);
        Assert.StartsWith("alerts.rules.map_lost: unknown key", error);
        Assert.Contains("vps_share", error);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://ops.example.org/hook")]
    [InlineData("/relative/hook")]
    [InlineData("http://")]
    public void MalformedWebhookNamesTheKeyAndTheUrl(string url)
    {
        var e = Rejects(("alerts:webhooks:0", "http://ok.example/hook"), ("alerts:webhooks:1", url), ("alerts:webhook_secret", Secret));
        var error = Assert.Single(e.Errors);
        Assert.StartsWith("alerts.webhooks = ['http://ok.example/hook', ", error);
        Assert.Contains($"'{url}' is not an http:// or https:// URL", error);
    }

    [Fact]
    public void WebhooksNeedASecret()
    {
        var e = Rejects(("alerts:webhooks:0", "http://ok.example/hook"), ("alerts:webhook_secret", "short"));
        Assert.Contains(e.Errors, m => m.StartsWith("alerts.webhook_secret = 'short'") && m.Contains("at least 16"));
    }

    [Fact]
    public void RulesGivenAValueInsteadOfKeysAreRejected()
    {
        var e = Rejects(("alerts:rules:vps_share", "80"));
        Assert.Contains(e.Errors, m => m.StartsWith("alerts.rules.vps_share: expected keys"));
    }
}
