namespace P2PCluster.HostAgent.Tests;

/// <summary>Tests that measure the whole machine (cpu, network): nothing else in this assembly runs beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExclusiveCollection
{
    public const string Name = "machine-wide measurements";
}
