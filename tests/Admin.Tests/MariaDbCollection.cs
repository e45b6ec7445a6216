using P2PCluster.TestSupport;

namespace P2PCluster.Admin.Tests;

[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>
{
    public const string Name = "MariaDB";
}
