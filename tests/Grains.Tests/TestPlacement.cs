using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.TestSupport;

/// <summary>
/// Puts a map on a named host the way production does, for tests that need a known assignment: the host registers as
/// the gateway registers it (<see cref="IHostGrain.ConnectAsync"/>, <see cref="IHostGrain.ReportCapacityAsync"/>) unless
/// it is online already, then the operator move (<see cref="IMapGrain.MoveToAsync"/>) commits the map there under a
/// new epoch, through the host directory, and tells the host grain. Linked into every test project that needs it
/// (Grains.Tests, Gateway.Tests, Silo.Tests, bench/LoadTool): one copy.
/// </summary>
public static class TestPlacement
{
    /// <summary>
    /// Places <paramref name="map"/> on <paramref name="hostId"/> and returns the assignment in force (its epoch is new
    /// unless the map was there already). Refusals are the production ones: a bad host id or a disabled map from the
    /// map grain, a bad endpoint from the host grain, a host the policy forbids from the directory.
    /// </summary>
    public static async Task<MapAssignment> PlaceOnAsync(this IGrainFactory grains, string map, string hostId, HostKind kind, string endpoint)
    {
        var mapGrain = grains.GetGrain<IMapGrain>(map);
        bool registers = Names.IsValidHostId(hostId);
        if (registers) await OnlineAsync(grains, grains.GetGrain<IHostGrain>(hostId), kind, endpoint);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await mapGrain.MoveToAsync(hostId, "placed by a test");
                break;
            }
            catch (ClusterException e) when (registers && attempt < 3 && e.Message.Contains(" is full (", StringComparison.Ordinal))
            {
                // The fixture's cluster is shared: a map of another test waiting for any host can take the room made
                // for this one the moment the host is listed. Room for one more than it now holds, and again.
                var host = grains.GetGrain<IHostGrain>(hostId);
                int holds = (await host.GetAsync()).Maps.Count;
                await host.ReportCapacityAsync(HostCapacity.Default with { MaxMaps = holds + 1 });
            }
        }
        return (await mapGrain.GetAsync()).Assignment
            ?? throw new InvalidOperationException($"map {map} was moved to {hostId} but has no assignment");
    }

    /// <summary>
    /// The host of <paramref name="at"/> is gone as far as its own grain knows and its map has not heard yet: the host
    /// grain forgets the map (as when it gave it up) and drains (so it takes no map again), the map grain is not told.
    /// A player's report about it then moves the map at once.
    /// </summary>
    public static async Task GoneUnheardAsync(this IGrainFactory grains, MapAssignment at)
    {
        var host = grains.GetGrain<IHostGrain>(at.HostId);
        await host.RemoveMapAsync(at.Map, at.Epoch);
        await host.SetDrainingAsync(true);
    }

    /// <summary>
    /// Registers a host the test plays without a gateway connection, unless it is online already (a host the test
    /// connected through the gateway keeps its own key, kind and endpoint; one this helper registered is registered again
    /// when the test gives it another kind or endpoint). Room for one map more than it holds: enough for the test's map,
    /// and too little to draw every waiting map of the cluster onto a host that runs none.
    /// </summary>
    private static async Task OnlineAsync(IGrainFactory grains, IHostGrain host, HostKind kind, string endpoint)
    {
        string hostId = host.GetPrimaryKeyString();
        var directory = grains.GetGrain<IHostDirectoryGrain>(0);
        var info = await host.GetAsync();
        byte[] key = KeyOf(hostId);
        bool online = info.Status is HostStatus.Online or HostStatus.Draining;
        bool ours = info.PublicKey is null || info.PublicKey.AsSpan().SequenceEqual(key);
        // A directory that activated again since (its silo died) lists the host once it registers or heartbeats again.
        bool listed = (await directory.FindAsync(hostId))?.Status is HostStatus.Online or HostStatus.Draining;
        if (!online || (ours && (!listed || info.Kind != kind || info.Endpoint != endpoint)))
        {
            // Its room before it is listed, so that it does not draw the cluster's waiting maps in the meantime.
            if (ours) await host.ReportCapacityAsync(HostCapacity.Default with { MaxMaps = info.Maps.Count + 1 });
            info = await host.ConnectAsync(new HostRegistration(key, kind, endpoint, Guid.NewGuid()));
        }
        // The directory hears of a map given up at once (DirectoryMapCountTests); a directory that activated again lists
        // no maps until the host publishes: room is counted from the larger of the two.
        int held = Math.Max(info.Maps.Count, (await directory.FindAsync(hostId))?.Maps ?? 0);
        if ((info.Capacity ?? HostCapacity.Default).MaxMaps <= held)
            await host.ReportCapacityAsync(HostCapacity.Default with { MaxMaps = held + 1 });
    }

    /// <summary>The same 32 bytes for a host id every time, so a host registered again keeps its key.</summary>
    private static byte[] KeyOf(string hostId) => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(hostId));
}
