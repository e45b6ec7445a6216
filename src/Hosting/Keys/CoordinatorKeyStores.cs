namespace P2PCluster.Hosting.Keys;

/// <summary>Picks the key set's store the way the silo picks its state storage: MariaDB when a database is configured.</summary>
public static class CoordinatorKeyStores
{
    public const string FileName = "coordinator_keys.json";

    public static ICoordinatorKeyStore Create(CoordinatorSettings settings) =>
        settings.Database.IsEmbedded
            ? new FileCoordinatorKeyStore(Path.Combine(Path.GetFullPath(settings.Security.DataDir), FileName))
            : new MariaDbCoordinatorKeyStore(settings.Database);
}
