using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;
using P2PCluster.Protocol;

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

    [Fact]
    public async Task AHostAwaitingApprovalIsListedForTheOperatorWithItsKindAndEndpoint()
    {
        // An operator approving keys finds them in the host list (the dashboard's "awaiting approval").
        var host = _cluster.Client.GetGrain<IHostGrain>("h-waiting");
        var registration = new HostRegistration(Enumerable.Repeat((byte)9, 32).ToArray(), HostKind.Vps, "127.0.0.1:6201");
        await Assert.ThrowsAsync<ClusterException>(() => host.ConnectAsync(registration));

        var listed = await _cluster.Client.GetGrain<IHostDirectoryGrain>(0).FindAsync("h-waiting");
        Assert.NotNull(listed);
        Assert.Equal((HostKind.Vps, HostStatus.Offline, false, "127.0.0.1:6201"), (listed.Kind, listed.Status, listed.Approved, listed.Endpoint));
        var info = await host.GetAsync();
        Assert.Equal((HostKind.Vps, "127.0.0.1:6201"), (info.Kind, info.Endpoint));
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
