using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains.Tests;

/// <summary>The grains' load is the heartbeat's, converted in one place (<see cref="HeartbeatLoad"/>).</summary>
public sealed class HostLoadTests
{
    [Fact]
    public void AHeartbeatsLoadIsPercentAndMbpsInTheCluster() =>
        Assert.Equal(new HostLoad(95.5, 40.5, 150, 42), HostLoad.Of(new HeartbeatLoad(955, 405, 150_000), 42));
}
