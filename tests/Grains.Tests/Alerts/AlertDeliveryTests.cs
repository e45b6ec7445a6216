using P2PCluster.Grains.Alerts;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests.Alerts;

/// <summary>A receiver that hangs or fails delays no evaluation, and its notifications arrive once it recovers.</summary>
[Collection(AlertDeliveryCluster.Name)]
public sealed class AlertDeliveryTests(AlertDeliveryFixture fixture)
{
    private IAlertGrain Grain => fixture.Cluster.GrainFactory.GetGrain<IAlertGrain>(0);

    [Fact]
    public async Task HangingWebhookDelaysNoEvaluationAndItsAlertArrivesWhenItRecovers()
    {
        var receiver = fixture.Receiver;
        var snapshots = fixture.Snapshots;
        snapshots.Current = ScriptedSnapshots.Healthy(DateTimeOffset.UtcNow);
        await snapshots.WaitForMoreAsync(2);
        receiver.Mode = WebhookMode.Hang;
        var since = DateTime.UtcNow;

        snapshots.Current = Breaches.Of(AlertRuleNames.MapUnassigned, "hangmap", DateTimeOffset.UtcNow);
        var first = await receiver.WaitForAsync(d => d.At >= since && d.Subject == "hangmap", "first (hung) attempt");

        // Evaluations go on while the receiver holds the POST open, and the grain answers at once.
        int duringHang = snapshots.Calls.Count(c => c.DuringHang);
        await snapshots.WaitForAsync(duringHang + 3, c => c.DuringHang, "while the webhook hangs");
        var active = await Grain.GetActiveAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains(active, a => a.Id == first.Id && a.State == AlertState.Firing);

        // The sender gave up on the hung POST after its timeout and tried again with the same signed body.
        var attempts = await receiver.WaitForCountAsync(d => d.Id == first.Id, 2, "a retry after the timeout");
        Assert.All(attempts, a => Assert.Equal(first.Body, a.Body));

        receiver.Mode = WebhookMode.Ok;
        var delivered = await receiver.WaitForAsync(d => d.Id == first.Id && d.Status == "firing" && d.Accepted, "the firing once the receiver recovers");
        Assert.True(delivered.Signed);
        Assert.Equal(first.Body, delivered.Body);

        snapshots.Current = ScriptedSnapshots.Healthy(DateTimeOffset.UtcNow);
        await receiver.WaitForAsync(d => d.Id == first.Id && d.Status == "resolved" && d.Accepted, "the resolution");
    }

    [Fact]
    public async Task FailingWebhookIsRetriedWithBackoffUntilItAccepts()
    {
        var receiver = fixture.Receiver;
        var snapshots = fixture.Snapshots;
        snapshots.Current = ScriptedSnapshots.Healthy(DateTimeOffset.UtcNow);
        await snapshots.WaitForMoreAsync(2);
        receiver.Mode = WebhookMode.Fail;
        var since = DateTime.UtcNow;

        snapshots.Current = Breaches.Of(AlertRuleNames.TicketRefusals, "", DateTimeOffset.UtcNow);
        var failed = await receiver.WaitForCountAsync(d => d.At >= since && d.Rule == AlertRuleNames.TicketRefusals, 3, "three answered 500");
        // Exponential backoff: 100 ms, then 200 ms (lower bounds; a loaded machine only adds).
        Assert.True(failed[1].At - failed[0].At >= TimeSpan.FromMilliseconds(90), $"first retry after {(failed[1].At - failed[0].At).TotalMilliseconds} ms");
        Assert.True(failed[2].At - failed[1].At >= TimeSpan.FromMilliseconds(190), $"second retry after {(failed[2].At - failed[1].At).TotalMilliseconds} ms");
        await snapshots.WaitForMoreAsync(2); // evaluation goes on meanwhile

        snapshots.Current = ScriptedSnapshots.Healthy(DateTimeOffset.UtcNow);
        await snapshots.WaitForMoreAsync(2); // resolved while the firing is still being retried
        receiver.Mode = WebhookMode.Ok;

        string id = failed[0].Id;
        var firing = await receiver.WaitForAsync(d => d.Id == id && d.Status == "firing" && d.Accepted, "the firing once the receiver recovers");
        var resolved = await receiver.WaitForAsync(d => d.Id == id && d.Status == "resolved" && d.Accepted, "the resolution");
        Assert.True(resolved.At >= firing.At, "a resolution never overtakes its firing");
        Assert.DoesNotContain(receiver.Requests, d => d.Id == id && d.Status == "resolved" && d.At < firing.At);
    }
}
