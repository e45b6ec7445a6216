namespace P2PCluster.Control.Tests;

[CollectionDefinition(Name)]
public sealed class StateSilosCollection : ICollectionFixture<StateSilosFixture>
{
    public const string Name = "StateSilos";
}
