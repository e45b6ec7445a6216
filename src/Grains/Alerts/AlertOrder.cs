using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Alerts;

/// <summary>The history's order: newest first, by when the alert ended (or fired, if it has not).</summary>
public static class AlertOrder
{
    public static DateTimeOffset LastChange(Alert alert) => alert.EndedAt ?? alert.FiredAt ?? alert.StartedAt;

    public static IReadOnlyList<Alert> Newest(IEnumerable<Alert> alerts, int limit) =>
        alerts.OrderByDescending(LastChange).ThenBy(a => a.Id, StringComparer.Ordinal).Take(limit).ToList();
}
