using Orleans.Concurrency;

namespace P2PCluster.Grains.Interfaces;

public partial interface IMapGrain
{
    /// <summary>
    /// Completes true as soon as the map runs (instance Running, with a port) under an assignment other than
    /// <paramref name="hostId"/> at <paramref name="epoch"/> — at once if it does already — or false once
    /// <paramref name="timeout"/> has passed first. Interleaves: waiting holds up no other call to the map.
    /// </summary>
    [Alias("WaitMovedAsync"), AlwaysInterleave]
    Task<bool> WaitMovedAsync(string hostId, long epoch, TimeSpan timeout);
}
