namespace P2PCluster.Deploy.Tests;

/// <summary>The test classes that run programs from one published <see cref="InstallPrefix"/>.</summary>
[CollectionDefinition(Name)]
public sealed class InstallCollection : ICollectionFixture<InstallPrefix>
{
    public const string Name = "Installed release";
}
