namespace P2PCluster.Demo;

/// <summary>What <c>p2p-demo</c> adds to the silo it runs: the demo's agents, then its players (which stop first).</summary>
public static class DemoSetup
{
    public const string Program = "p2p-demo";

    public const string Description =
        "P2PCluster demo: a coordinator silo with four host agents (1 VPS, 3 P2P) and the development accounts' players inside it, to watch placement and failover.";

    public static void Add(IServiceCollection services)
    {
        // Registered after the gateway, so they stop before it (the host stops services in reverse order).
        services.AddHostedService<DemoAgents>();
        services.AddHostedService<DemoPlayers>();
    }
}
