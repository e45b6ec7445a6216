using P2PCluster.Grains.Characters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using Orleans.TestingHost;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Grains.Tests;

/// <summary>A one-silo in-process cluster with in-memory state and a fake clock, for grain behaviour.</summary>
public sealed class InMemoryClusterFixture : IAsyncLifetime
{
    /// <summary>Shared by the test and the in-process silo, so tests can move time forward.</summary>
    public static FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));

    /// <summary>The accounts and characters the silo's grains see; tests add their own (unique ids per test).</summary>
    public static InMemoryAccountStore Accounts { get; } = new();

    /// <summary>The characters the database proxy and the session grains read and write (rAthena's rows, in memory).</summary>
    public static InMemoryCharacterStore Characters { get; } = new(Accounts, Time);

    /// <summary>State writes a test makes fail.</summary>
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

    private sealed class Configurator : ISiloConfigurator
    {
        private const string InnerStorage = "memory";

        public void Configure(ISiloBuilder silo)
        {
            silo.AddMemoryGrainStorage(InnerStorage);
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.State,
                (services, _) => new FaultyGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(InnerStorage), Faults));
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<TimeProvider>(Time);
            silo.Services.AddP2PClusterState();
            silo.Services.AddSingleton<IAccountStore>(Accounts);
            silo.Services.AddSingleton<ICharacterStore>(Characters);
            // These tests move the fake clock by hand; liveness has its own tests in real time.
            silo.Services.Configure<DistributionOptions>(o => o.HeartbeatTimeoutMs = int.MaxValue);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class InMemoryCluster : ICollectionFixture<InMemoryClusterFixture>
{
    public const string Name = "in-memory cluster";
}
