using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

public sealed partial class PlayerSessionGrain
{
    /// <summary>How long a REPORT_UNREACHABLE may wait for the map to land on another host before answering.</summary>
    public static readonly TimeSpan FallbackWait = TimeSpan.FromSeconds(3);

    /// <summary>At most this many tickets are asked for per report: one, and one after each landing the map announced.</summary>
    private const int MaxFallbackAttempts = 4;

    /// <summary>
    /// Interleaved (the interface says why): it reads the session only before its first await, and everything that
    /// changes the session — the ticket — is a call through this grain's own queue, never a step of this one.
    /// </summary>
    public async Task<TicketGrant> ReportUnreachableAsync(int accountId, string map, string hostId, long epoch)
    {
        // Only a report about the character's own outstanding route counts against a host.
        if (state.State.AccountId != accountId)
            throw new ClusterException(ClusterError.IdentityMismatch, $"char {CharId} does not belong to this account");
        var self = this.AsReference<IPlayerSessionGrain>();
        var mapGrain = GrainFactory.GetGrain<IMapGrain>(map);
        bool moving = await GrainFactory.GetGrain<IHostGrain>(hostId).ReportUnreachableAsync(accountId, map, epoch);
        var deadline = time.GetUtcNow() + FallbackWait;
        for (int attempt = 1; ; attempt++)
        {
            var left = deadline - time.GetUtcNow();
            bool last = !moving || left <= TimeSpan.Zero || attempt == MaxFallbackAttempts;
            try
            {
                var grant = await self.RequestTicketAsync(accountId, map);
                if (last || grant.HostId != hostId || grant.Epoch != epoch) return grant;
            }
            catch (ClusterException e) when (e.Code == ClusterError.MapUnavailable && !last)
            {
                // The map is between hosts; it lands within a placement.
            }
            await mapGrain.WaitMovedAsync(hostId, epoch, left);
        }
    }
}
