using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains.Tests;

/// <summary>The directory's count of a host's maps follows a map leaving it at once, not at the host's next heartbeat.</summary>
[Collection(InMemoryCluster.Name)]
public sealed class DirectoryMapCountTests(InMemoryClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    [Fact]
    public async Task AMapTakenOffAHostFreesItsSlotInTheDirectoryAtOnce()
    {
        string run = Guid.NewGuid().ToString("N")[..8];
        string hostId = "h" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(run)))[..20].ToLowerInvariant();
        var host = Grains.GetGrain<IHostGrain>(hostId);
        await host.ReportCapacityAsync(HostCapacity.Default with { MaxMaps = 1 });
        await host.ConnectAsync(new HostRegistration(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(hostId)), HostKind.Vps, "127.0.0.1:7001", Guid.NewGuid()));
        var map = Grains.GetGrain<IMapGrain>($"dc{run}");
        var directory = Grains.GetGrain<IHostDirectoryGrain>(0);
        try
        {
            await map.MoveToAsync(hostId, "test");
            Assert.Equal(1, (await directory.FindAsync(hostId))!.Maps);

            // The operator takes the map out of service: the host grain lets it go, and no heartbeat follows (none is sent here).
            await map.SetDisabledAsync(true);
            Assert.Empty((await host.GetAsync()).Maps);
            Assert.Equal(0, (await directory.FindAsync(hostId))!.Maps);
        }
        finally
        {
            await map.SetDisabledAsync(true);
            await host.DisconnectAsync(failure: false, reason: null);
        }
    }
}
