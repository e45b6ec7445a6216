using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>With <c>distribution.require_approval</c>, an unknown key is refused until an operator approves it.</summary>
public sealed class HostApprovalTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<Configurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task UnknownKeyIsRefusedUntilApprovedAndBannedKeyAlways()
    {
        var host = _cluster.Client.GetGrain<IHostGrain>("h-unknown");
        var registration = new HostRegistration(Enumerable.Repeat((byte)7, 32).ToArray(), HostKind.P2P, "127.0.0.1:6200");

        var e = await Assert.ThrowsAsync<ClusterException>(() => host.ConnectAsync(registration));
        Assert.Equal(ClusterError.HostNotApproved, e.Code);
        Assert.Equal(registration.PublicKey, (await host.GetAsync()).PublicKey); // visible to the operator who approves it

        await host.SetApprovedAsync(true);
        Assert.Equal(HostStatus.Online, (await host.ConnectAsync(registration)).Status);

        await host.SetBannedAsync(true);
        e = await Assert.ThrowsAsync<ClusterException>(() => host.ConnectAsync(registration));
        Assert.Equal(ClusterError.HostBanned, e.Code);
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.AddMemoryGrainStorage(StorageNames.State);
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddP2PClusterState();
            silo.Services.Configure<DistributionOptions>(o => o.RequireApproval = true);
        }
    }
}
