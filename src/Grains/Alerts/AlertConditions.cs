using System.Globalization;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Alerts;

/// <summary>Every enabled rule's condition checked against one <see cref="ClusterSnapshot"/>; pure, so each rule is tested alone.</summary>
public static class AlertConditions
{
    public static IEnumerable<AlertBreach> Evaluate(ClusterSnapshot snapshot, IEnumerable<AlertRule> rules, DateTimeOffset now)
    {
        foreach (var rule in rules.Where(r => r.Enabled))
        {
            foreach (var breach in Evaluate(snapshot, rule, now))
                yield return breach;
        }
    }

    private static IEnumerable<AlertBreach> Evaluate(ClusterSnapshot s, AlertRule rule, DateTimeOffset now)
    {
        double t = rule.Threshold;
        switch (rule.Name)
        {
            case AlertRuleNames.MapUnassigned:
                foreach (var map in s.UnassignedMaps)
                {
                    double seconds = Math.Max(0, (now - map.Since).TotalSeconds);
                    if (seconds > t) yield return new(rule.Name, map.Map, Math.Round(seconds, 1), t, F($"map {map.Map} unassigned for {seconds:F0} s (threshold {t} s)"));
                }
                break;
            case AlertRuleNames.VpsShare:
                // Of the maps running (P2P + VPS), as deploy/prometheus/p2p-alerts.yml computes it: unassigned and
                // starting maps have their own signals, and must not make a VPS-heavy cluster look P2P.
                int onVps = s.Maps.Where(m => m.State == ClusterMapState.Vps).Sum(m => m.Count);
                int running = onVps + s.Maps.Where(m => m.State == ClusterMapState.P2P).Sum(m => m.Count);
                double percent = running == 0 ? 0 : 100.0 * onVps / running;
                if (percent > t) yield return new(rule.Name, "", Math.Round(percent, 2), t, F($"{onVps} of {running} running maps on VPS hosts ({percent:F1} %, threshold {t} %)"));
                break;
            case AlertRuleNames.HostChurn:
                if (s.FailoversLast5Min > t) yield return new(rule.Name, "", s.FailoversLast5Min, t, F($"{s.FailoversLast5Min} failovers in 5 minutes (threshold {t})"));
                break;
            case AlertRuleNames.HostRefusedWrites:
                foreach (var host in s.RefusedWritesLastMinute)
                {
                    if (host.Count > t) yield return new(rule.Name, host.HostId, host.Count, t, F($"host {host.HostId}: {host.Count} database writes refused in the last minute (threshold {t})"));
                }
                break;
            case AlertRuleNames.TicketRefusals:
                if (s.TicketRefusalsLastMinute > t) yield return new(rule.Name, "", s.TicketRefusalsLastMinute, t, F($"{s.TicketRefusalsLastMinute} ticket claims refused in the last minute (threshold {t})"));
                break;
            case AlertRuleNames.MinSilos:
                if (s.SilosActive < t) yield return new(rule.Name, "", s.SilosActive, t, F($"{s.SilosActive} active silo(s), fewer than alerts.min_silos = {t}"));
                break;
            case AlertRuleNames.DatabaseUnreachable:
                if (s.DatabaseUnreachableSince is { } since)
                {
                    double seconds = Math.Max(0, (now - since).TotalSeconds);
                    if (seconds > t) yield return new(rule.Name, "", Math.Round(seconds, 1), t, F($"database unreachable for {seconds:F0} s (threshold {t} s)"));
                }
                break;
        }
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
