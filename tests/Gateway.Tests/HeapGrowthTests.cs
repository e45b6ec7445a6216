using System.Buffers.Binary;
using P2PCluster.Protocol;
using P2PCluster.TestSupport;

namespace P2PCluster.Gateway.Tests;

/// <summary>
/// The heap is the whole test process's: measured while other classes start silos next to it, it grew by 66 MB
/// (CI) without the gateway keeping anything. So this runs alone, after the parallel tests, on a gateway of its own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway, alone in the process";
}

[Collection(AloneCollection.Name)]
public sealed class HeapGrowthTests(GatewayFixture fixture)
{
    [Fact]
    public async Task HundredsOfBadConnectionsLeaveNothingBehind()
    {
        await using var witness = await Witness.StartAsync(fixture);
        long baseline = fixture.Metrics.ActiveConnections;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var random = new Random(1234);
        for (int round = 0; round < 300; round++)
        {
            await using var raw = await RawClient.ConnectAsync(fixture.Endpoint);
            var junk = new byte[random.Next(1, 600)];
            random.NextBytes(junk);
            if (round % 3 == 0) BinaryPrimitives.WriteUInt16LittleEndian(junk, (ushort)PacketId.Hello); // get past the id check sometimes
            await raw.SendAsync(junk);
            raw.ShutdownSend();
            while (await raw.ReadFrameAsync(TimeSpan.FromSeconds(10)) is not null) { }
        }
        await Eventually.TrueAsync(() => fixture.Metrics.ActiveConnections <= baseline, "connections still open after their clients left");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        Assert.True(memoryAfter - memoryBefore < 16 * 1024 * 1024, $"managed heap grew by {(memoryAfter - memoryBefore) / 1024} KiB over 300 bad connections");
        await witness.AssertServedAsync();
    }
}
