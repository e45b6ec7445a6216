namespace P2PCluster.Grains.Alerts;

/// <summary>One built-in rule as configured: its condition is measure &gt; <paramref name="Threshold"/> (min_silos: &lt;), held for <paramref name="For"/>.</summary>
public sealed record AlertRule(string Name, bool Enabled, double Threshold, TimeSpan For);
