using P2PCluster.TestSupport;

namespace P2PCluster.Diagnostic.Tests;

[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>
{
    public const string Name = "MariaDB";
}
