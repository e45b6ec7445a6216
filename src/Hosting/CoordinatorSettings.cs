using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace P2PCluster.Hosting;

/// <summary>Everything <c>conf/p2p/p2p.conf</c> configures, read and validated as one, shared by the silo and the stand-alone gateway.</summary>
public sealed record CoordinatorSettings(
    CoordinatorOptions Coordinator,
    SecurityOptions Security,
    MonitoringOptions Monitoring,
    DatabaseOptions Database,
    ClusterOptions Cluster,
    HttpOptions Http,
    DistributionOptions Distribution,
    IReadOnlyDictionary<string, MapSettings> Maps,
    AccountsSettings Accounts,
    DbProxySettings DbProxy,
    AlertsSettings Alerts,
    AdminSettings Admin,
    LoggingSettings Logging,
    string? SourceFile)
{
    public const string DefaultPath = "conf/p2p/p2p.conf";

    /// <summary>Reads <paramref name="configPath"/> (or the default file) plus environment overrides; throws <see cref="ConfigurationException"/> naming every bad key.</summary>
    public static CoordinatorSettings Load(string? configPath)
    {
        var configuration = P2PConfiguration.Build(configPath, DefaultPath);
        return Load(configuration, P2PConfiguration.SourceFile(configuration));
    }

    public static CoordinatorSettings Load(IConfiguration configuration, string? sourceFile = null)
    {
        var loader = new OptionsLoader(configuration);
        var settings = new CoordinatorSettings(
            loader.Load<CoordinatorOptions>(), loader.Load<SecurityOptions>(), loader.Load<MonitoringOptions>(),
            loader.Load<DatabaseOptions>(), loader.Load<ClusterOptions>(), loader.Load<HttpOptions>(), loader.Load<DistributionOptions>(),
            loader.LoadNamed<MapSettings>("maps", IsMapName, "1–11 characters of [A-Za-z0-9_@.-], as rAthena's char.last_map"),
            loader.Load<AccountsSettings>(),
            loader.Load<DbProxySettings>(),
            loader.Load<AlertsSettings>(),
            loader.Load<AdminSettings>(),
            loader.Load<LoggingSettings>(),
            sourceFile);
        loader.ThrowIfInvalid();
        var duplicates = settings.Admin.DuplicateNames().ToList();
        if (duplicates.Count > 0) throw new ConfigurationException(duplicates);
        settings.CheckPortCollisions();
        if (settings.Security.KeyGraceMs < settings.Accounts.TicketLifetimeMs)
            throw new ConfigurationException([$"security.key_grace_ms: {settings.Security.KeyGraceMs} is shorter than accounts.ticket_lifetime_ms ({settings.Accounts.TicketLifetimeMs}): a ticket signed just before a key switch would be refused before it expires"]);
        if (settings.Accounts.Source == AccountSource.Database && settings.Database.IsEmbedded)
            throw new ConfigurationException(["accounts.source = database: needs database.connection_string (rAthena's login and char tables are read there)"]);

        return settings;
    }

    /// <summary>Makes each section available as <see cref="IOptions{TOptions}"/>.</summary>
    public void Register(IServiceCollection services)
    {
        services.AddSingleton(this);
        services.AddSingleton(Options.Create(Coordinator));
        services.AddSingleton(Options.Create(Security));
        services.AddSingleton(Options.Create(Monitoring));
        services.AddSingleton(Options.Create(Database));
        services.AddSingleton(Options.Create(Cluster));
        services.AddSingleton(Options.Create(Http));
        services.AddSingleton(Options.Create(Accounts));
    }

    private static bool IsMapName(string name) =>
        P2PCluster.Protocol.MapNames.IsValid(name);

    private void CheckPortCollisions()
    {
        var ports = new List<(string Key, int Port)>
        {
            ("coordinator.port", Coordinator.Port),
            ("coordinator.db_proxy_port", Coordinator.DbProxyPort),
            ("cluster.silo_port", Cluster.SiloPort),
            ("cluster.gateway_port", Cluster.GatewayPort),
        };
        foreach (string url in Http.UrlList)
        {
            if (Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri))
                ports.Add(("http.urls", uri.Port));
        }
        var errors = ports.GroupBy(p => p.Port).Where(g => g.Count() > 1)
            .Select(g => $"{string.Join(" and ", g.Select(p => p.Key))} all use port {g.Key}; each needs its own")
            .ToList();
        if (errors.Count > 0) throw new ConfigurationException(errors);
    }
}
