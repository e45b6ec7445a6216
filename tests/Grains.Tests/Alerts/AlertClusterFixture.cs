using Orleans.TestingHost;
using P2PCluster.Grains.Alerts;

namespace P2PCluster.Grains.Tests.Alerts;

/// <summary>
/// One in-memory silo evaluating every 200 ms, sending to a real webhook receiver. <see cref="WebhookTimeout"/>
/// differs between the rule tests (generous: a slow machine never turns one POST into two) and the delivery tests.
/// </summary>
public abstract class AlertClusterFixture(TimeSpan webhookTimeout) : IAsyncLifetime
{
    public const string Secret = "test-secret-0123456789";
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    public TimeSpan WebhookTimeout { get; } = webhookTimeout;
    public WebhookReceiver Receiver { get; private set; } = null!;
    public AlertRig Rig { get; private set; } = null!;
    public TestCluster Cluster { get; private set; } = null!;
    public ScriptedSnapshots Snapshots => Rig.Snapshots;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync(Secret);
        Rig = new AlertRig(new AlertOptions
        {
            Enabled = true,
            Interval = Interval,
            Rules = AlertRig.TestRules(),
            Webhooks = [Receiver.Url],
            WebhookSecret = Secret,
            WebhookTimeout = WebhookTimeout,
            WebhookAttempts = 50,
            WebhookBackoff = TimeSpan.FromMilliseconds(100),
            WebhookMaxBackoff = TimeSpan.FromMilliseconds(400),
            ClusterId = "alert-tests",
        });
        Rig.Snapshots.Receiver = Receiver;
        Cluster = Rig.Build(1);
        await Cluster.DeployAsync();
        await Snapshots.WaitForMoreAsync(1);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary>For the rule tests: a POST that takes 10 s has failed.</summary>
public sealed class AlertRulesFixture() : AlertClusterFixture(TimeSpan.FromSeconds(10));

/// <summary>For the delivery tests: a POST that takes 1 s has failed (a hanging receiver is given up on quickly).</summary>
public sealed class AlertDeliveryFixture() : AlertClusterFixture(TimeSpan.FromSeconds(1));

[CollectionDefinition(Name)]
public sealed class AlertRulesCluster : ICollectionFixture<AlertRulesFixture>
{
    public const string Name = "alert rules cluster";
}

[CollectionDefinition(Name)]
public sealed class AlertDeliveryCluster : ICollectionFixture<AlertDeliveryFixture>
{
    public const string Name = "alert delivery cluster";
}
