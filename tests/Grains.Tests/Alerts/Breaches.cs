using P2PCluster.Grains.Alerts;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests.Alerts;

/// <summary>Snapshots that cross one test rule (<see cref="AlertRig.TestRules"/>), and the subject the alert names.</summary>
public static class Breaches
{
    public static ClusterSnapshot Of(string rule, string subject, DateTimeOffset now)
    {
        var healthy = ScriptedSnapshots.Healthy(now);
        return rule switch
        {
            AlertRuleNames.MapUnassigned => healthy with { UnassignedMaps = [new UnassignedMap(subject, now.AddSeconds(-30))] },
            AlertRuleNames.VpsShare => healthy with { Maps = [new MapCount(ClusterMapState.P2P, 1), new MapCount(ClusterMapState.Vps, 3)] },
            AlertRuleNames.HostChurn => healthy with { FailoversLast5Min = 9 },
            AlertRuleNames.HostRefusedWrites => healthy with { RefusedWritesLastMinute = [new HostRefusals(subject, 7), new HostRefusals("honest-host", 1)] },
            AlertRuleNames.TicketRefusals => healthy with { TicketRefusalsLastMinute = 25 },
            AlertRuleNames.MinSilos => healthy with { SilosActive = 1 },
            AlertRuleNames.DatabaseUnreachable => healthy with { DatabaseUnreachableSince = now.AddSeconds(-30) },
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "no such rule"),
        };
    }
}
