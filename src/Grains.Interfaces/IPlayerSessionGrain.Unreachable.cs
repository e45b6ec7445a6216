using Orleans.Concurrency;

namespace P2PCluster.Grains.Interfaces;

public partial interface IPlayerSessionGrain
{
    /// <summary>
    /// REPORT_UNREACHABLE: <paramref name="accountId"/>'s client could not enter its route onto <paramref name="map"/> at
    /// <paramref name="hostId"/> under <paramref name="epoch"/>. Fails with <see cref="ClusterError.IdentityMismatch"/>
    /// unless the session is that account's. The host is told (gone? suspect now?); when the map moves, the answer
    /// waits — without holding the session — until the map runs elsewhere or a few seconds pass, then is a ticket as
    /// <see cref="RequestTicketAsync"/> grants it (its refusals included): to the new host, or to the same one when
    /// the cluster still counts it as serving the map.
    /// </summary>
    [Alias("ReportUnreachableAsync"), AlwaysInterleave]
    Task<TicketGrant> ReportUnreachableAsync(int accountId, string map, string hostId, long epoch);
}
