using P2PCluster.Grains.Alerts;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests.Alerts;

/// <summary>Each built-in rule, end to end: snapshot → alert grain → log, history and a signed POST to a real receiver.</summary>
[Collection(AlertRulesCluster.Name)]
public sealed class AlertRuleWebhookTests(AlertRulesFixture fixture)
{
    private IAlertGrain Grain => fixture.Cluster.GrainFactory.GetGrain<IAlertGrain>(0);

    [Theory]
    [InlineData(AlertRuleNames.MapUnassigned, "prt_fild08", 1.0)]
    [InlineData(AlertRuleNames.VpsShare, "", 50.0)]
    [InlineData(AlertRuleNames.HostChurn, "", 5.0)]
    [InlineData(AlertRuleNames.HostRefusedWrites, "cheating-host", 3.0)]
    [InlineData(AlertRuleNames.TicketRefusals, "", 10.0)]
    [InlineData(AlertRuleNames.MinSilos, "", 2.0)]
    [InlineData(AlertRuleNames.DatabaseUnreachable, "", 1.0)]
    public async Task RuleFiresOnceThenResolvesWithSignedWebhooks(string rule, string subject, double threshold)
    {
        var receiver = fixture.Receiver;
        var snapshots = fixture.Snapshots;
        receiver.Mode = WebhookMode.Ok;
        snapshots.Current = ScriptedSnapshots.Healthy(DateTimeOffset.UtcNow);
        await snapshots.WaitForMoreAsync(2);
        var since = DateTime.UtcNow;

        snapshots.Current = Breaches.Of(rule, subject, DateTimeOffset.UtcNow);
        var fired = await receiver.WaitForAsync(d => d.At >= since && d.Rule == rule && d.Status == "firing", $"firing of {rule}");
        Assert.True(fired.Signed, $"signature of {fired.Body}");
        Assert.Equal("firing", fired.Event);
        Assert.Equal(subject, fired.Subject);
        Assert.Equal(1, fired.Json.GetProperty("version").GetInt32());
        Assert.Equal("alert-tests", fired.Json.GetProperty("cluster").GetString());
        Assert.Equal(threshold, fired.Json.GetProperty("threshold").GetDouble());
        double value = fired.Json.GetProperty("value").GetDouble();
        Assert.True(rule == AlertRuleNames.MinSilos ? value < threshold : value > threshold, $"value {value} crosses {threshold}");
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, fired.Json.GetProperty("fired_at").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, fired.Json.GetProperty("ended_at").ValueKind);

        var active = Assert.Single(await Grain.GetActiveAsync(), a => a.Id == fired.Id);
        Assert.Equal(AlertState.Firing, active.State);
        Assert.Equal(subject, active.Subject);

        // Deduplicated: still firing three evaluations later, and not sent again.
        await snapshots.WaitForMoreAsync(3);
        Assert.Single(receiver.Requests, d => d.Id == fired.Id && d.Status == "firing");
        Assert.Single(await Grain.GetActiveAsync(), a => a.Rule == rule);

        snapshots.Current = ScriptedSnapshots.Healthy(DateTimeOffset.UtcNow);
        var resolved = await receiver.WaitForAsync(d => d.Id == fired.Id && d.Status == "resolved", $"resolution of {rule}");
        Assert.True(resolved.Signed);
        Assert.Equal("resolved", resolved.Event);
        Assert.Equal(fired.Json.GetProperty("fired_at").GetString(), resolved.Json.GetProperty("fired_at").GetString());
        Assert.Equal(value, resolved.Json.GetProperty("value").GetDouble());
        Assert.True(DateTimeOffset.Parse(resolved.Json.GetProperty("ended_at").GetString()!) >= DateTimeOffset.Parse(resolved.Json.GetProperty("fired_at").GetString()!));

        Assert.DoesNotContain(await Grain.GetActiveAsync(), a => a.Id == fired.Id);
        var history = Assert.Single(await Grain.GetHistoryAsync(100), a => a.Id == fired.Id);
        Assert.Equal(AlertState.Resolved, history.State);
        Assert.NotNull(history.EndedAt);
    }

    [Fact]
    public async Task OneAlertPerSubject()
    {
        var snapshots = fixture.Snapshots;
        fixture.Receiver.Mode = WebhookMode.Ok;
        var now = DateTimeOffset.UtcNow;
        snapshots.Current = ScriptedSnapshots.Healthy(now) with
        {
            UnassignedMaps = [new UnassignedMap("geffen", now.AddSeconds(-20)), new UnassignedMap("payon", now.AddSeconds(-20))],
        };
        var since = DateTime.UtcNow;
        var both = await fixture.Receiver.WaitForCountAsync(d => d.At >= since && d.Rule == AlertRuleNames.MapUnassigned && d.Status == "firing", 2, "two map alerts");
        Assert.Equal(["geffen", "payon"], both.Select(d => d.Subject).Order());
        Assert.NotEqual(both[0].Id, both[1].Id);

        // One map gets a host: only its alert resolves.
        snapshots.Current = snapshots.Current with { UnassignedMaps = [new UnassignedMap("payon", now.AddSeconds(-20))] };
        var geffen = both.Single(d => d.Subject == "geffen");
        await fixture.Receiver.WaitForAsync(d => d.Id == geffen.Id && d.Status == "resolved", "geffen resolved");
        Assert.Single(await Grain.GetActiveAsync(), a => a.Subject == "payon");

        snapshots.Current = ScriptedSnapshots.Healthy(DateTimeOffset.UtcNow);
        var payon = both.Single(d => d.Subject == "payon");
        await fixture.Receiver.WaitForAsync(d => d.Id == payon.Id && d.Status == "resolved", "payon resolved");
    }

    [Fact]
    public async Task HistoryLimitIsChecked()
    {
        var e = await Assert.ThrowsAsync<ClusterException>(() => Grain.GetHistoryAsync(0));
        Assert.Equal(ClusterError.InvalidArgument, e.Code);
    }
}
