namespace P2PCluster.Control.Tests;

[CollectionDefinition(Name)]
public sealed class DemoSiloCollection : ICollectionFixture<DemoSiloFixture>
{
    public const string Name = "DemoSilo";
}
