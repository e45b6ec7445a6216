namespace P2PCluster.Chaos;

/// <summary>The one cluster shape of the chaos suite; its tests run one after another on it.</summary>
[CollectionDefinition(Name)]
public sealed class ChaosCollection : ICollectionFixture<ChaosCluster>
{
    public const string Name = "chaos: two silos on MariaDB, four host agents, six players";
}
