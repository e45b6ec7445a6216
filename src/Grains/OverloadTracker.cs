using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Grains;

/// <summary>
/// Whether a host is overloaded (it then takes no new maps) and when it should shed a map: once it has stayed over its
/// limits for the overload window, then at most once per rebalance cooldown. It counts as recovered only below its
/// limits by the recovery margin, so a host hovering at a limit does not flap. In memory: heartbeats never write.
/// </summary>
public sealed class OverloadTracker
{
    private DateTimeOffset? _since;
    private DateTimeOffset _lastShed = DateTimeOffset.MinValue;

    public bool Overloaded { get; private set; }

    /// <summary>Takes the load of one heartbeat; true when the host should shed one map now.</summary>
    public bool Observe(HostLoad load, HostCapacity capacity, bool holdsMaps, DateTimeOffset now, DistributionOptions options)
    {
        if (PlacementScorer.IsOverloaded(load, capacity))
        {
            _since ??= now;
            Overloaded = true;
        }
        else if (!PlacementScorer.IsOverloaded(load, capacity, options.RecoveryMarginPercent))
        {
            _since = null;
            Overloaded = false;
        }

        if (_since is not { } since || now - since < options.OverloadWindow || now - _lastShed < options.RebalanceCooldown || !holdsMaps)
            return false;
        _lastShed = now;
        _since = now; // another window before any further shed
        return true;
    }
}
