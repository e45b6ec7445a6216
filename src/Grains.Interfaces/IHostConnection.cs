using Orleans.Concurrency;

namespace P2PCluster.Grains.Interfaces;

/// <summary>
/// A host agent's live connection, as seen by its host grain: the gateway registers one per connection (and
/// re-registers it periodically, since a grain re-activated on another silo starts without it).
/// </summary>
[Alias("p2p.IHostConnection")]
public interface IHostConnection : IGrainObserver
{
    /// <summary>Tells the gateway to close the connection, sending <paramref name="code"/> to the host first.</summary>
    [OneWay, Alias("CloseAsync")]
    Task CloseAsync(ClusterError code, string message);

    /// <summary>Sends ASSIGN_MAP.</summary>
    [OneWay, Alias("AssignAsync")]
    Task AssignAsync(MapOrder order);

    /// <summary>Sends REVOKE_MAP.</summary>
    [OneWay, Alias("RevokeAsync")]
    Task RevokeAsync(MapRevocation revocation);
}
