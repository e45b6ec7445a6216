using Orleans.TestingHost;
using P2PCluster.Grains.Alerts;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests.Alerts;

/// <summary>
/// Two in-process silos whose membership, reminders and alert history live in a real MariaDB, reached as the
/// least-privilege user of sql/grants.sql (proof that those grants cover p2p_alerts).
/// </summary>
public sealed class AlertMariaDbFixture : IAsyncLifetime
{
    public MariaDbServer Server { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";
    public string AdminConnectionString { get; private set; } = "";
    public AlertRig Rig { get; private set; } = null!;
    public TestCluster Cluster { get; private set; } = null!;
    public ScriptedSnapshots Snapshots => Rig.Snapshots;

    public async Task InitializeAsync()
    {
        Server = await MariaDbServer.StartAsync();
        AdminConnectionString = await Server.CreateDatabaseAsync("alerts");
        ConnectionString = await Server.CreateLeastPrivilegeUserAsync(AdminConnectionString);
        Rig = new AlertRig(new AlertOptions
        {
            Enabled = true,
            Interval = TimeSpan.FromMilliseconds(200),
            Rules = AlertRig.TestRules(),
            ConnectionString = ConnectionString,
            HistoryRetryDelay = TimeSpan.FromMilliseconds(200),
        }, ConnectionString);
        Cluster = Rig.Build(2);
        await Cluster.DeployAsync();
        await Snapshots.WaitForMoreAsync(1);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AlertMariaDbCluster : ICollectionFixture<AlertMariaDbFixture>
{
    public const string Name = "alert MariaDB cluster";
}
