using P2PCluster.Grains.Characters;
using P2PCluster.Silo.Characters;
using Orleans.Dashboard;
using P2PCluster.Gateway;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Alerts;
using P2PCluster.Silo.Accounts;
using P2PCluster.Hosting;
using P2PCluster.Protocol;
using P2PCluster.Admin;
using P2PCluster.Grains;

namespace P2PCluster.Silo;

/// <summary>Composes the silo process: Orleans, the dashboard and (later) the gateway listeners on one host.</summary>
public static class SiloHost
{
    /// <param name="gateway">The coordinator key and where it came from, when this silo hosts the gateway listener.</param>
    /// <param name="addServices">More services for this host (p2p-demo's agents and players), added after the gateway's so they stop before it.</param>
    /// <param name="accounts">The player account store; by default the one <c>accounts.source</c> names.</param>
    public static WebApplication Build(CoordinatorSettings settings, (SigningIdentity Key, string Origin)? gateway, Action<IServiceCollection>? addServices = null,
        (IAccountStore Store, AccountSourceDescription Description)? accounts = null)
    {
        var (accountStore, accountSource) = accounts ?? AccountStores.Create(settings);
        // No command-line args here: System.CommandLine owns them, and ASP.NET would read "--config" as a key.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear(); // p2p.conf is read by CoordinatorSettings; nothing else configures the host
        builder.Configuration.AddInMemoryCollection();
        builder.Host.UseSystemd();
        builder.Logging.AddP2PLogging(settings.Logging);
        builder.Services.AddSingleton(TimeProvider.System);
        settings.Register(builder.Services);
        builder.Services.AddSingleton(accountStore);
        builder.Services.Configure<AccountOptions>(o =>
        {
            o.UseMd5Passwords = settings.Accounts.UseMd5Passwords;
            o.TicketLifetime = TimeSpan.FromMilliseconds(settings.Accounts.TicketLifetimeMs);
        });
        builder.Services.AddSingleton(accountSource);
        builder.Services.AddSingleton<ICharacterStore>(sp => CharacterStores.Create(settings, accountStore, sp));
        builder.Services.Configure<CharacterRules>(rules => CharacterStores.Configure(rules, settings));

        builder.WebHost.ConfigureKestrel(kestrel => GatewaySetup.Listen(kestrel, settings, gateway is not null));
        builder.UseOrleans(silo =>
        {
            silo.AddP2PSilo(settings);
            // After Orleans' defaults, so it replaces Orleans' handler: a silo declared dead exits with its own code.
            silo.Services.AddSingleton<IFatalErrorHandler, SiloFatalErrorHandler>();
        });
        if (settings.Http.Metrics) builder.Services.AddP2PMetrics("p2p-silo");
        builder.Services.AddClusterTallyReporter();
        builder.Services.AddP2PAlerts(AlertSetup.Options(settings));
        builder.Services.AddHostedService<StartupReporter>();
        builder.Services.AddHostedService<MapCatalog>();
        builder.Services.AddClusterAdmin();
        builder.Services.AddP2PAdminApi(settings);
        if (gateway is { } g)
        {
            builder.Services.AddP2PGateway(g.Key);
            builder.Services.AddHostedService(sp => new GatewayReporter(settings, g.Origin, sp.GetRequiredService<ILogger<GatewayReporter>>()));
        }
        addServices?.Invoke(builder.Services);

        var app = builder.Build();
        if (settings.Http.Metrics) app.MapP2PMetrics();
        app.MapGet("/", () => Results.Redirect("/dashboard/"));
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapOrleansDashboard(routePrefix: "/dashboard");
        app.MapP2PAdminApi();
        app.MapP2PDashboard();
        return app;
    }
}
