using P2PCluster.Grains.Alerts;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests.Alerts;

public sealed class AlertsDisabledTests
{
    [Fact]
    public async Task AlertEnabledFalseEvaluatesNothing()
    {
        var rig = new AlertRig(new AlertOptions { Enabled = false, Interval = TimeSpan.FromMilliseconds(100), Rules = AlertRig.TestRules() });
        rig.Snapshots.Current = Breaches.Of(AlertRuleNames.HostChurn, "", DateTimeOffset.UtcNow);
        var cluster = rig.Build(1);
        await cluster.DeployAsync();
        try
        {
            var grain = cluster.GrainFactory.GetGrain<IAlertGrain>(0);
            await grain.EnsureRunningAsync();
            // Real time: proving an absence takes time, twenty evaluation periods from the activation (grain timers run on the silo's clock).
            await Task.Delay(TimeSpan.FromMilliseconds(2000));
            Assert.Equal(0, rig.Snapshots.Count);
            Assert.Empty(await grain.GetActiveAsync());
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
