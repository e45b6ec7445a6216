namespace P2PCluster.Grains.Interfaces;

/// <summary>
/// The ids of hosts an operator approved or banned (key 0), persisted, so the admin API's GET /api/v1/state (what a
/// backup saves) finds them after the host directory — which is in memory and refills only as hosts reconnect — has
/// forgotten them across silo restarts. Each host's grain holds its standing; this is only the index of where to look.
/// </summary>
[Alias("p2p.IHostStandingsGrain")]
public interface IHostStandingsGrain : IGrainWithIntegerKey
{
    /// <summary>Every host id remembered, sorted.</summary>
    [Alias("ListAsync")]
    Task<IReadOnlyList<string>> ListAsync();

    /// <summary>Adds <paramref name="hostId"/> (durably, before answering); a repeat writes nothing.</summary>
    [Alias("RememberAsync")]
    Task RememberAsync(string hostId);
}
