using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// Moves maps off a host: forgets them here first (so no call comes back) and records, in the same write, that each
/// map grain must be told (<see cref="HostState.Losses"/>); revokes them on the host's connection, counts the failover,
/// and hands the losses to <see cref="HostLossDelivery"/>, which tells the map grains without any turn waiting on them.
/// </summary>
public sealed class HostEvacuation(HostGrainContext host, EpochLedger maps, HostLink link, HostLossDelivery losses, DistributionMetrics metrics)
{
    /// <summary>Moves every map away, counted under <paramref name="cause"/>; the host leaves placement first.</summary>
    public async Task EvacuateAsync(RevocationReason reason, FailoverCause cause)
    {
        // Out of placement first: a host that is no longer live leaves the directory (remembered for operators' list
        // with its status); a live one (draining, suspect) stays listed but no longer accepts maps.
        await host.Publish(true);
        if (maps.Count == 0) return;
        var held = host.State().Maps.ToList();
        await ForgetAsync(held, reason);
        metrics.FailedOver(cause, held.Count);
        foreach (var (map, epoch) in held) link.Revoke(new MapRevocation(map, epoch, reason));
        losses.Tell();
        if (host.IsLive) await host.Publish(true);
    }

    /// <summary>Sheds the most recently assigned map (the least settled one) of a host that stayed overloaded.</summary>
    public async Task ShedAsync()
    {
        var (map, epoch) = maps.Newest();
        await ForgetAsync([new(map, epoch)], RevocationReason.Rebalanced);
        link.Revoke(new MapRevocation(map, epoch, RevocationReason.Rebalanced));
        metrics.FailedOver(FailoverCause.Overload, 1);
        metrics.Rebalanced();
        await host.Publish(true);
        losses.Tell();
    }

    /// <summary>
    /// A map placed on a host that has since gone goes straight back, through the outbox (its map grain is waiting on
    /// the call that placed it) and retried: this host has forgotten the map, so nobody else would move it.
    /// </summary>
    public async Task HandBackAsync(string map, long epoch)
    {
        await ForgetAsync([new(map, epoch)], RevocationReason.Reassigned);
        metrics.FailedOver(FailoverCause.Dead, 1);
        losses.Tell();
    }

    /// <summary>The host cannot run <paramref name="map"/> (no free port, the command keeps failing, over max_maps): place it elsewhere.</summary>
    public async Task FailedAsync(string map, long epoch)
    {
        await ForgetAsync([new(map, epoch)], RevocationReason.Reassigned);
        await host.Publish(true);
        losses.Tell();
    }

    /// <summary>
    /// Forgets <paramref name="held"/> and records, in the same write, that each map grain must be told: this host no
    /// longer holds them, so that message must get through even if this activation dies first. The liveness reminder is
    /// what wakes a grain whose silo died; it is registered if it was not.
    /// </summary>
    private async Task ForgetAsync(IReadOnlyCollection<KeyValuePair<string, long>> held, RevocationReason reason)
    {
        maps.Forget(held, reason);
        await host.KeepReminder();
        await host.Write();
        losses.Start(); // the caller tells them at once; should it fail before, the timer's tick does
    }
}
