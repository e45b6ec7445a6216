using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Grains.Tests;

/// <summary>A one-silo cluster on the real clock with failure detection and rebalancing sped up, for distribution tests.</summary>
public sealed class FastDistributionFixture : IAsyncLifetime
{
    // Twice as long as it was (1.5 s): under a 2-core busy loop a simulated host's heartbeats (every 100 ms, from this
    // same busy process) were now and then more than 1.5 s apart, and a live host declared dead moved maps the tests
    // expected to stay. The production default is 3 s too.
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromMilliseconds(3000);
    // 1 s, not 200 ms: under the same busy loop a reconnect (three grain calls) took longer than 200 ms.
    public static readonly TimeSpan ReconnectGrace = TimeSpan.FromMilliseconds(1000);
    public static readonly TimeSpan OverloadWindow = TimeSpan.FromMilliseconds(600);
    public static readonly TimeSpan RebalanceCooldown = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ClusterStateInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>State and reminder writes a test makes fail.</summary>
    public static StorageFaults Faults { get; } = new();

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<Configurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>The in-process silo's services (its meters, for the metric tests).</summary>
    public IServiceProvider SiloServices => ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services;

    private sealed class Configurator : ISiloConfigurator
    {
        private const string InnerStorage = "memory";

        public void Configure(ISiloBuilder silo)
        {
            silo.AddMemoryGrainStorage(InnerStorage);
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.State,
                (services, _) => new FaultyGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(InnerStorage), Faults));
            silo.AddIncomingGrainCallFilter<HostLostFaults>();
            silo.UseInMemoryReminderService();
            FaultyReminderTable.Decorate(silo.Services, Faults);
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddP2PClusterState();
            silo.Services.Configure<ClusterStateOptions>(o => o.Interval = ClusterStateInterval);
            silo.Services.Configure<DistributionOptions>(o =>
            {
                o.HeartbeatTimeoutMs = (int)HeartbeatTimeout.TotalMilliseconds;
                o.ReconnectGraceMs = (int)ReconnectGrace.TotalMilliseconds;
                o.OverloadWindowMs = (int)OverloadWindow.TotalMilliseconds;
                o.RebalanceCooldownMs = (int)RebalanceCooldown.TotalMilliseconds;
                o.DirectoryRefreshMs = 100;
            });
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FastDistribution : ICollectionFixture<FastDistributionFixture>
{
    public const string Name = "fast distribution";
}
