using P2PCluster.TestSupport;

namespace P2PCluster.Gateway.Tests;

/// <summary>Tests that need the run's MariaDB server (each makes its own database).</summary>
[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbFixture>
{
    public const string Name = "MariaDB";
}
