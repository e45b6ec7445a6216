using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Characters;
using P2PCluster.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace P2PCluster.Silo.Characters;

/// <summary>Picks where the database proxy reads and writes characters: beside the accounts (rAthena's tables, or memory).</summary>
public static class CharacterStores
{
    public static ICharacterStore Create(CoordinatorSettings settings, IAccountStore accounts, IServiceProvider services) =>
        settings.Accounts.Effective(settings.Database) == AccountSource.Database
            ? new RathenaCharacterStore(settings.Database.ConnectionString, services.GetService<ILogger<RathenaCharacterStore>>())
            : new InMemoryCharacterStore(accounts, services.GetRequiredService<TimeProvider>());

    /// <summary>The proxy's bounds from <c>db_proxy:</c>, and each map's size from <c>maps:</c>.</summary>
    public static void Configure(CharacterRules rules, CoordinatorSettings settings)
    {
        var p = settings.DbProxy;
        rules.MaxBaseLevel = p.MaxBaseLevel;
        rules.MaxJobLevel = p.MaxJobLevel;
        rules.MaxStat = p.MaxStat;
        rules.MaxZeny = (uint)p.MaxZeny;
        rules.MaxZenyGainPerMinute = (uint)p.MaxZenyGainPerMinute;
        rules.MaxExpGainPerMinute = (ulong)p.MaxExpGainPerMinute;
        foreach (var (name, map) in settings.Maps)
            if (map.Width > 0 || map.Height > 0) rules.MapSizes[name] = (map.Width, map.Height);
    }
}
