using P2PCluster.Grains.Alerts;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests.Alerts;

public sealed class AlertConditionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static List<AlertBreach> Evaluate(ClusterSnapshot snapshot, IReadOnlyList<AlertRule>? rules = null) =>
        AlertConditions.Evaluate(snapshot, rules ?? AlertRig.TestRules(), Now).ToList();

    [Fact]
    public void HealthyClusterBreachesNothing() => Assert.Empty(Evaluate(ScriptedSnapshots.Healthy(Now)));

    [Theory]
    [InlineData(AlertRuleNames.MapUnassigned, "prt_fild08", 30.0)]
    [InlineData(AlertRuleNames.VpsShare, "", 75.0)]
    [InlineData(AlertRuleNames.HostChurn, "", 9.0)]
    [InlineData(AlertRuleNames.HostRefusedWrites, "cheating-host", 7.0)]
    [InlineData(AlertRuleNames.TicketRefusals, "", 25.0)]
    [InlineData(AlertRuleNames.MinSilos, "", 1.0)]
    [InlineData(AlertRuleNames.DatabaseUnreachable, "", 30.0)]
    public void EachRuleBreachesOnItsOwnMeasure(string rule, string subject, double value)
    {
        var breach = Assert.Single(Evaluate(Breaches.Of(rule, subject, Now)));
        Assert.Equal(rule, breach.Rule);
        Assert.Equal(subject, breach.Subject);
        Assert.Equal(value, breach.Value);
        Assert.Contains(subject, breach.Summary);
    }

    [Fact]
    public void DisabledRuleIsNotEvaluated()
    {
        var rules = AlertRig.TestRules().Select(r => r with { Enabled = r.Name != AlertRuleNames.HostChurn }).ToList();
        Assert.Empty(Evaluate(Breaches.Of(AlertRuleNames.HostChurn, "", Now), rules));
    }

    [Fact]
    public void AtTheThresholdIsNotOverIt()
    {
        Assert.Empty(Evaluate(ScriptedSnapshots.Healthy(Now) with { FailoversLast5Min = 5, TicketRefusalsLastMinute = 10, SilosActive = 2 }));
        Assert.Empty(Evaluate(ScriptedSnapshots.Healthy(Now) with { Maps = [new MapCount(ClusterMapState.P2P, 2), new MapCount(ClusterMapState.Vps, 2)] }));
    }

    [Fact]
    public void VpsShareIsOfTheMapsRunning()
    {
        var maps = new[]
        {
            new MapCount(ClusterMapState.Vps, 2), new MapCount(ClusterMapState.P2P, 3), new MapCount(ClusterMapState.Unassigned, 4),
            new MapCount(ClusterMapState.Starting, 4), new MapCount(ClusterMapState.Disabled, 10),
        };
        Assert.Empty(Evaluate(ScriptedSnapshots.Healthy(Now) with { Maps = maps })); // 2 of 5 running = 40 %
        var moreOnVps = maps.Select(m => m.State == ClusterMapState.Vps ? m with { Count = 4 } : m).ToArray();
        var breach = Assert.Single(Evaluate(ScriptedSnapshots.Healthy(Now) with { Maps = moreOnVps })); // 4 of 7 ≈ 57 %
        Assert.Equal(57.14, breach.Value);
        Assert.Empty(Evaluate(ScriptedSnapshots.Healthy(Now) with { Maps = [] })); // no maps: no share
    }

    [Fact]
    public void RefusedWritesNameEachHostOverTheThreshold()
    {
        var snapshot = ScriptedSnapshots.Healthy(Now) with
        {
            RefusedWritesLastMinute = [new HostRefusals("a", 4), new HostRefusals("b", 3), new HostRefusals("c", 50)],
        };
        Assert.Equal(["a", "c"], Evaluate(snapshot).Select(b => b.Subject).Order());
    }
}
