using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>The real directory grain (its own key per test, not the cluster's directory 0) against the linear reference.</summary>
[Collection(InMemoryCluster.Name)]
public sealed class HostDirectoryGrainTests(InMemoryClusterFixture fixture)
{
    private static int _next = 1000;

    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    [Fact]
    public async Task DirectoryGrainPlacesAsTheLinearScanDoes()
    {
        int key = Interlocked.Increment(ref _next);
        var directory = Grains.GetGrain<IHostDirectoryGrain>(key);
        // A map that finds nothing waits here and is woken (through directory 0) when a host starts accepting:
        // disabled maps ignore the wake, so this test never places anything on another test's hosts.
        string[] maps = [.. Enumerable.Range(0, 8).Select(i => $"pd{key}m{i}")];
        foreach (string map in maps) await Grains.GetGrain<IMapGrain>(map).SetDisabledAsync(true);

        var random = new RandomPlacement(key, hostIds: 16);
        var reference = new LinearPlacement();
        for (int step = 0; step < 600; step++)
        {
            int op = random.Random.Next(10);
            if (op < 6)
            {
                var policy = random.Policy();
                string? exclude = random.Exclude(() => reference.Choose(policy, null)?.HostId);
                var expected = reference.Place(policy, exclude);
                var decision = await directory.PlaceAsync(maps[step % maps.Length], policy, exclude, "test");
                Assert.True(expected?.Host.HostId == decision?.HostId, $"step {step}: expected {expected}, got {decision}");
                if (expected is { } e)
                {
                    var d = decision!;
                    Assert.Equal((e.Host.Kind, e.Host.Endpoint, e.Score, e.Eligible, "test"), (d.Kind, d.Endpoint, d.Score, d.Eligible, d.Reason));
                }
            }
            else if (op < 9)
            {
                var host = random.Host();
                reference.Upsert(host);
                await directory.UpsertAsync(host);
            }
            else
            {
                string id = random.HostId();
                reference.Remove(id);
                await directory.RemoveAsync(id);
            }
        }

        var listed = await directory.ListAsync();
        Assert.Equal(reference.Candidates.OrderBy(h => h.HostId, StringComparer.Ordinal), listed.OrderBy(h => h.HostId, StringComparer.Ordinal));
    }
}
