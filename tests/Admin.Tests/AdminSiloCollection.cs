namespace P2PCluster.Admin.Tests;

[CollectionDefinition(Name)]
public sealed class AdminSiloCollection : ICollectionFixture<AdminSiloFixture>
{
    public const string Name = "AdminSilo";
}
