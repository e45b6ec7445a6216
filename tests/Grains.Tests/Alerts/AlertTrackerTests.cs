using P2PCluster.Grains.Alerts;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests.Alerts;

public sealed class AlertTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyList<AlertRule> Rules = AlertRig.TestRules(hold: TimeSpan.FromSeconds(10));

    private static AlertBreach Churn(double value) => new(AlertRuleNames.HostChurn, "", value, 5, $"{value} failovers");

    [Fact]
    public void PendingUntilTheConditionHeldForItsDurationThenFiresOnce()
    {
        var tracker = new AlertTracker();
        Assert.Empty(tracker.Observe([Churn(6)], Rules, T0));
        var pending = Assert.Single(tracker.Active);
        Assert.Equal(AlertState.Pending, pending.State);
        Assert.Null(pending.FiredAt);

        Assert.Empty(tracker.Observe([Churn(7)], Rules, T0.AddSeconds(9)));
        var fired = Assert.Single(tracker.Observe([Churn(8)], Rules, T0.AddSeconds(10)));
        Assert.Equal(AlertState.Firing, fired.State);
        Assert.Equal(pending.Id, fired.Id);
        Assert.Equal(T0, fired.StartedAt);
        Assert.Equal(T0.AddSeconds(10), fired.FiredAt);
        Assert.Equal(8, fired.Value); // the value that crossed when it fired

        // Deduplicated: no new transition while it keeps firing, and the fired value stays.
        Assert.Empty(tracker.Observe([Churn(30)], Rules, T0.AddSeconds(11)));
        Assert.Equal(8, Assert.Single(tracker.Active).Value);

        var resolved = Assert.Single(tracker.Observe([], Rules, T0.AddSeconds(20)));
        Assert.Equal(AlertState.Resolved, resolved.State);
        Assert.Equal(fired.Id, resolved.Id);
        Assert.Equal(T0.AddSeconds(20), resolved.EndedAt);
        Assert.Empty(tracker.Active);
    }

    [Fact]
    public void PendingAlertThatEndsIsForgottenUnannounced()
    {
        var tracker = new AlertTracker();
        tracker.Observe([Churn(6)], Rules, T0);
        Assert.Empty(tracker.Observe([], Rules, T0.AddSeconds(5)));
        Assert.Empty(tracker.Active);
        // The next breach starts a new alert, with its own wait.
        Assert.Empty(tracker.Observe([Churn(6)], Rules, T0.AddSeconds(12)));
    }

    [Fact]
    public void RestoredFiringAlertIsNeitherResentNorForgotten()
    {
        var before = new AlertTracker();
        before.Observe([Churn(6)], Rules, T0);
        var fired = Assert.Single(before.Observe([Churn(6)], Rules, T0.AddSeconds(10)));

        var after = new AlertTracker();
        after.Restore([fired]);
        Assert.Empty(after.Observe([Churn(6)], Rules, T0.AddSeconds(30)));
        var resolved = Assert.Single(after.Observe([], Rules, T0.AddSeconds(40)));
        Assert.Equal(fired.Id, resolved.Id);
        Assert.Equal(AlertState.Resolved, resolved.State);
    }
}
