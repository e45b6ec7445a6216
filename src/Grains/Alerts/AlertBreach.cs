namespace P2PCluster.Grains.Alerts;

/// <summary>A rule whose condition holds at one evaluation, for one subject ("" when cluster-wide).</summary>
public sealed record AlertBreach(string Rule, string Subject, double Value, double Threshold, string Summary);
