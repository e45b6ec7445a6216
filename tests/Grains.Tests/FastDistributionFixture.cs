using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>A one-silo cluster on the real clock with failure detection and rebalancing sped up, for distribution tests.</summary>
public sealed class FastDistributionFixture : IAsyncLifetime
{
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromMilliseconds(1500);
    public static readonly TimeSpan ReconnectGrace = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan OverloadWindow = TimeSpan.FromMilliseconds(600);
    public static readonly TimeSpan RebalanceCooldown = TimeSpan.FromSeconds(30);

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<Configurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddMemoryGrainStorage(StorageNames.State);
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.Configure<DistributionOptions>(o =>
            {
                o.HeartbeatTimeout = HeartbeatTimeout;
                o.ReconnectGrace = ReconnectGrace;
                o.OverloadWindow = OverloadWindow;
                o.RebalanceCooldown = RebalanceCooldown;
                o.DirectoryRefresh = TimeSpan.FromMilliseconds(100);
            });
        }
    }
}

[CollectionDefinition(Name)]
public sealed class FastDistribution : ICollectionFixture<FastDistributionFixture>
{
    public const string Name = "fast distribution";
}
