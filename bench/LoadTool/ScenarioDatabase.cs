using P2PCluster.TestSupport;

namespace P2PCluster.LoadTool;

/// <summary>
/// The MariaDB a child-silo scenario runs on: the server <see cref="MariaDbServer.AdminVariable"/> names, or a
/// throwaway one; a missing server is the tool's error (a message, exit 1), not a crash.
/// </summary>
public static class ScenarioDatabase
{
    public static async Task<MariaDbServer> StartAsync()
    {
        try
        {
            var server = await MariaDbServer.StartAsync();
            Console.WriteLine($"MariaDB: {(Environment.GetEnvironmentVariable(MariaDbServer.AdminVariable) is { Length: > 0 } ? MariaDbServer.AdminVariable : "a throwaway server")}");
            return server;
        }
        catch (InvalidOperationException e)
        {
            throw new LoadToolException($"no MariaDB: {e.Message}", e);
        }
    }
}
