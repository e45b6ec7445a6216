using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P2PCluster.Hosting;

namespace P2PCluster.Gateway.Tests;

/// <summary>The silo as p2p-silo composes it hands the grains p2p.conf's distribution: section as it was bound (issue 16).</summary>
[Collection(MariaDbSiloCollection.Name)]
public sealed class DistributionOptionsOnSiloTests(MariaDbSiloFixture fixture)
{
    [Fact]
    public void TheGrainsReadTheConfiguredSectionWithItsDefaults()
    {
        var options = fixture.Services.GetRequiredService<IOptions<DistributionOptions>>().Value;
        // The fixture sets distribution:heartbeat_timeout_ms = 600000; every other key keeps its one default.
        Assert.Equal(TimeSpan.FromMinutes(10), options.HeartbeatTimeout);
        var defaults = new DistributionOptions();
        Assert.Equal(
            (defaults.ReconnectGrace, defaults.FailoverGrace, defaults.OverloadWindow, defaults.RebalanceCooldown, defaults.RecoveryMarginPercent,
                defaults.DirectoryRefresh, defaults.RequireApproval, defaults.SuspectReports, defaults.SuspectWindow, defaults.ReminderPeriod),
            (options.ReconnectGrace, options.FailoverGrace, options.OverloadWindow, options.RebalanceCooldown, options.RecoveryMarginPercent,
                options.DirectoryRefresh, options.RequireApproval, options.SuspectReports, options.SuspectWindow, options.ReminderPeriod));
    }
}
