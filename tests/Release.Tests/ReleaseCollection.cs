namespace P2PCluster.Release.Tests;

/// <summary>The tests that look at scripts/publish.sh's archives share one publish (minutes of two cores).</summary>
[CollectionDefinition(Name)]
public sealed class ReleaseCollection : ICollectionFixture<ReleaseArchives>
{
    public const string Name = "release archives";
}
