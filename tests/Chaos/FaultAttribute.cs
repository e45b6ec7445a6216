namespace P2PCluster.Chaos;

/// <summary>A fault test: a <see cref="FactAttribute"/> with its place in the run (<see cref="FaultOrderer"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FaultAttribute : FactAttribute
{
    public int Order { get; set; }

    /// <summary>Skips the test (with the reason) when it needs a network namespace and none can be made here.</summary>
    public bool NeedsNamespace
    {
        get;
        set
        {
            field = value;
            if (value && ChaosNetwork.Unavailable is { } why) Skip = why;
        }
    }
}
