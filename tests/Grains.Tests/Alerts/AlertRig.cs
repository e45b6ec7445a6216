using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using P2PCluster.Grains.Alerts;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Grains.Tests.Alerts;

/// <summary>
/// What one test cluster's silos share for the alert tests: the alert options, the scripted snapshots and, on
/// MariaDB, the database. In-process silos find their rig by the id in <see cref="TestClusterBuilder.Properties"/>.
/// </summary>
public sealed class AlertRig(AlertOptions options, string connectionString = "")
{
    private const string Key = "P2PTest:AlertRig";
    private static readonly ConcurrentDictionary<string, AlertRig> Rigs = new();

    public string Id { get; } = Guid.NewGuid().ToString("N");
    public AlertOptions Options { get; } = options;
    public ScriptedSnapshots Snapshots { get; } = new();
    public string ConnectionString { get; } = connectionString;

    /// <summary>Rules whose thresholds a test crosses easily; every one fires at its first evaluation (for 0).</summary>
    public static IReadOnlyList<AlertRule> TestRules(TimeSpan? hold = null) =>
    [
        new(AlertRuleNames.MapUnassigned, true, 1, hold ?? TimeSpan.Zero),
        new(AlertRuleNames.VpsShare, true, 50, hold ?? TimeSpan.Zero),
        new(AlertRuleNames.HostChurn, true, 5, hold ?? TimeSpan.Zero),
        new(AlertRuleNames.HostRefusedWrites, true, 3, hold ?? TimeSpan.Zero),
        new(AlertRuleNames.TicketRefusals, true, 10, hold ?? TimeSpan.Zero),
        new(AlertRuleNames.MinSilos, true, 2, hold ?? TimeSpan.Zero),
        new(AlertRuleNames.DatabaseUnreachable, true, 1, hold ?? TimeSpan.Zero),
    ];

    public TestCluster Build(int silos)
    {
        Rigs[Id] = this;
        var builder = new TestClusterBuilder((short)silos);
        builder.Properties[Key] = Id;
        if (ConnectionString.Length > 0)
        {
            builder.Options.UseTestClusterMembership = false;
            builder.AddClientBuilderConfigurator<ClientConfigurator>();
        }
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        return builder.Build();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var rig = Rigs[silo.Configuration[Key]!];
            if (rig.ConnectionString.Length > 0)
            {
                string cs = rig.ConnectionString;
                silo.UseAdoNetClustering(o => { o.Invariant = DatabaseOptions.Invariant; o.ConnectionString = cs; });
                silo.UseAdoNetReminderService(o => { o.Invariant = DatabaseOptions.Invariant; o.ConnectionString = cs; });
                silo.Configure<ClusterMembershipOptions>(o =>
                {
                    o.ProbeTimeout = TimeSpan.FromSeconds(1);
                    o.NumMissedProbesLimit = 3;
                    o.NumVotesForDeathDeclaration = 1;
                    o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                    o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
                });
            }
            else
            {
                silo.UseInMemoryReminderService();
            }
            silo.AddMemoryGrainStorage(StorageNames.State);
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            silo.Services.Configure<DistributionOptions>(o => o.ReminderPeriodMs = 2000);
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddP2PAlerts(rig.Options);
            // The seam: the alert grain reads these scripted snapshots instead of IClusterStateGrain.
            silo.Services.AddSingleton(sp => rig.Snapshots.For(sp.GetRequiredService<ILocalSiloDetails>().Name));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder client)
        {
            string cs = Rigs[configuration[Key]!].ConnectionString;
            client.UseAdoNetClustering(o => { o.Invariant = DatabaseOptions.Invariant; o.ConnectionString = cs; });
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
        }
    }
}
