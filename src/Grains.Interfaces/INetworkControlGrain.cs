namespace P2PCluster.Grains.Interfaces;

/// <summary>
/// The cluster-wide operator switches (key 0), persisted: the P2P pause of an emergency failover and the network
/// reset generation. It tells the host directory (which enforces the pause on every placement) of each change.
/// </summary>
[Alias("p2p.INetworkControlGrain")]
public interface INetworkControlGrain : IGrainWithIntegerKey
{
    /// <summary>The switches as stored. Interleaves: the directory asks while activating, possibly during a pause that waits on it.</summary>
    [Alias("GetAsync")]
    [Orleans.Concurrency.AlwaysInterleave]
    Task<Admin.NetworkControl> GetAsync();

    /// <summary>Pauses P2P placement (persisted first, then the directory told); false when it was paused already.</summary>
    [Alias("PauseAsync")]
    Task<bool> PauseAsync(string operatorName);

    /// <summary>Allows P2P placement again; false when it was not paused.</summary>
    [Alias("ResumeAsync")]
    Task<bool> ResumeAsync();

    /// <summary>
    /// Starts a network reset: the generation moves on from <paramref name="seen"/> (persisted) and the new one is
    /// returned; if another reset moved it on already, that generation is returned unchanged.
    /// </summary>
    [Alias("BeginResetAsync")]
    Task<long> BeginResetAsync(long seen);
}
