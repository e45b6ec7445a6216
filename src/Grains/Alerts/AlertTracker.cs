using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Alerts;

/// <summary>
/// The lifecycle pending → firing → resolved of one alert per (rule, subject). <see cref="Observe"/> returns only the
/// transitions worth telling (fired, resolved): a firing alert seen again is not told again.
/// </summary>
public sealed class AlertTracker
{
    private readonly Dictionary<(string Rule, string Subject), Alert> _active = [];

    /// <summary>Pending and firing alerts, oldest first.</summary>
    public IReadOnlyList<Alert> Active => _active.Values.OrderBy(a => a.StartedAt).ThenBy(a => a.Rule).ThenBy(a => a.Subject).ToList();

    /// <summary>Takes back alerts that were firing before (e.g. on the silo that died), so they are neither re-sent nor forgotten.</summary>
    public void Restore(IEnumerable<Alert> firing)
    {
        foreach (var alert in firing.Where(a => a.State == AlertState.Firing))
            _active[(alert.Rule, alert.Subject)] = alert;
    }

    /// <param name="breaches">Every condition that holds now (all enabled rules were evaluated).</param>
    /// <param name="rules">The rules, for their <c>for</c> durations.</param>
    public IReadOnlyList<Alert> Observe(IEnumerable<AlertBreach> breaches, IReadOnlyList<AlertRule> rules, DateTimeOffset now)
    {
        var changes = new List<Alert>();
        var seen = new HashSet<(string, string)>();
        foreach (var b in breaches)
        {
            var key = (b.Rule, b.Subject);
            if (!seen.Add(key)) continue;
            var hold = rules.FirstOrDefault(r => r.Name == b.Rule)?.For ?? TimeSpan.Zero;
            if (!_active.TryGetValue(key, out var alert))
                alert = new Alert(Guid.NewGuid().ToString("N"), b.Rule, b.Subject, AlertState.Pending, b.Value, b.Threshold, now, null, null, b.Summary);
            if (alert.State == AlertState.Pending)
            {
                alert = alert with { Value = b.Value, Threshold = b.Threshold, Summary = b.Summary };
                if (now - alert.StartedAt >= hold)
                {
                    alert = alert with { State = AlertState.Firing, FiredAt = now };
                    changes.Add(alert);
                }
            }
            _active[key] = alert;
        }
        foreach (var (key, alert) in _active.Where(e => !seen.Contains(e.Key)).ToList())
        {
            _active.Remove(key);
            if (alert.State == AlertState.Firing)
                changes.Add(alert with { State = AlertState.Resolved, EndedAt = now });
        }
        return changes;
    }
}
