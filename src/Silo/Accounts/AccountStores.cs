using P2PCluster.Grains.Accounts;
using P2PCluster.Hosting;

namespace P2PCluster.Silo.Accounts;

/// <summary>Picks the account store <c>accounts.source</c> names (rAthena's tables, or the development file).</summary>
public static class AccountStores
{
    /// <summary>
    /// Throws <see cref="ConfigurationException"/> naming <c>accounts.dev_file</c> when the file is wrong. A missing file
    /// leaves the coordinator without players (hosts still work), which the start-up log says.
    /// </summary>
    public static (IAccountStore Store, AccountSourceDescription Description) Create(CoordinatorSettings settings)
    {
        if (settings.Accounts.Effective(settings.Database) == AccountSource.Database)
            return (new RathenaAccountStore(settings.Database.ConnectionString), new("rAthena's login and char tables in the coordinator database"));
        string path = settings.Accounts.DevFile;
        if (!File.Exists(path))
            return (new InMemoryAccountStore(), new($"nowhere: {Path.GetFullPath(path)} (accounts.dev_file) does not exist, so no player can log in", Usable: false));
        var store = AccountsFile.Load(path);
        return (store, new($"{path} ({store.AccountCount} accounts, {store.CharacterCount} characters; development only)"));
    }
}
