namespace P2PCluster.Grains;

/// <summary>Checks that the cluster's database answers (none is registered on the embedded default).</summary>
public interface IDatabaseProbe
{
    /// <summary>Completes when the database answered; throws (any exception) when it did not.</summary>
    Task ProbeAsync(CancellationToken cancellationToken);
}
