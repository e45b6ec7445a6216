using P2PCluster.Grains.Accounts;
using P2PCluster.Hosting;

namespace P2PCluster.Silo.Accounts;

/// <summary>Picks the account store <c>accounts.source</c> names (rAthena's tables, or the development file).</summary>
public static class AccountStores
{
    /// <summary>Throws <see cref="ConfigurationException"/> naming <c>accounts.dev_file</c> when the file is missing or wrong.</summary>
    public static (IAccountStore Store, string Description) Create(CoordinatorSettings settings)
    {
        if (settings.Accounts.Effective(settings.Database) == AccountSource.Database)
            return (new RathenaAccountStore(settings.Database.ConnectionString), "rAthena login and char tables in the coordinator database");
        string path = settings.Accounts.DevFile;
        var store = AccountsFile.Load(path);
        return (store, $"{path} ({store.AccountCount} accounts, {store.CharacterCount} characters; development only)");
    }
}
