using Microsoft.Extensions.Configuration;

namespace P2PCluster.Hosting.Tests.Keys;

/// <summary>security.key_rollover_ms and security.key_grace_ms: defaults, ranges, and the grace against the ticket lifetime.</summary>
public sealed class KeySettingsTests
{
    private static CoordinatorSettings Load(params (string Key, string Value)[] values) =>
        CoordinatorSettings.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void DefaultsOutlastTheAgentsReconnectDelayAndTheTicketLifetime()
    {
        var security = Load().Security;
        Assert.Equal(TimeSpan.FromSeconds(60), security.KeyRollover);
        Assert.Equal(TimeSpan.FromDays(7), security.KeyGrace);
        Assert.Equal(TimeSpan.FromSeconds(5), security.KeySetRefresh);
        Assert.Equal(TimeSpan.FromMilliseconds(500), Load(("security:key_rollover_ms", "2000")).Security.KeySetRefresh);
    }

    [Theory]
    [InlineData("security:key_rollover_ms", "999", "security.key_rollover_ms")]
    [InlineData("security:key_rollover_ms", "soon", "security.key_rollover_ms")]
    [InlineData("security:key_grace_ms", "0", "security.key_grace_ms")]
    public void BadValueIsRefusedNamingTheKey(string key, string value, string named)
    {
        var e = Assert.Throws<ConfigurationException>(() => Load((key, value)));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void GraceShorterThanTheTicketLifetimeIsRefused()
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(("security:key_grace_ms", "10000"), ("accounts:ticket_lifetime_ms", "60000")));
        Assert.Contains("security.key_grace_ms", e.Message);
        Assert.Contains("accounts.ticket_lifetime_ms", e.Message);
        Assert.Equal(60_000, Load(("security:key_grace_ms", "60000")).Security.KeyGraceMs);
    }
}
