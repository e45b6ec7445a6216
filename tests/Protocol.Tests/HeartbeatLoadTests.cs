namespace P2PCluster.Protocol.Tests;

/// <summary>HEARTBEAT's load units and their one conversion to the cluster's percent and Mbit/s (issue 16).</summary>
public sealed class HeartbeatLoadTests
{
    [Fact]
    public void TheWireUnitsReadAsPercentAndMbps()
    {
        var load = new HeartbeatLoad(955, 405, 150_000);
        Assert.Equal((95.5, 40.5, 150.0), (load.CpuPercent, load.MemoryPercent, load.NetworkMbps));
        Assert.Equal((0.0, 0.0, 0.0), (default(HeartbeatLoad).CpuPercent, default(HeartbeatLoad).MemoryPercent, default(HeartbeatLoad).NetworkMbps));
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(95.0, 950)]
    [InlineData(40.55, 406)]
    [InlineData(100.0, 1000)]
    [InlineData(250.0, 1000)]
    [InlineData(-5.0, 0)]
    public void PercentBecomesPermilleRoundedAndClamped(double percent, int permille) =>
        Assert.Equal((ushort)permille, HeartbeatLoad.PermilleOf(percent));

    [Theory]
    [InlineData(0.0, 0u)]
    [InlineData(150.0, 150_000u)]
    [InlineData(0.0015, 1u)]
    [InlineData(1e12, uint.MaxValue)]
    public void MbpsBecomesKbpsClamped(double mbps, uint kbps) => Assert.Equal(kbps, HeartbeatLoad.KbpsOf(mbps));

    [Fact]
    public void APercentSurvivesTheRoundTripToTheTenth()
    {
        for (int tenths = 0; tenths <= 1000; tenths++)
            Assert.Equal(tenths / 10.0, new HeartbeatLoad(HeartbeatLoad.PermilleOf(tenths / 10.0), 0, 0).CpuPercent);
    }
}
