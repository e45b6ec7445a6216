using System.Diagnostics;
using P2PCluster.Grains.Interfaces;
using P2PCluster.TestSupport;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// A silo process with one development account (player1: Alice on prontera, Alba on geffen) and one host agent
/// running prontera, for driving the p2p-client program against; <see cref="RunClientAsync"/> runs it to its end.
/// </summary>
public sealed class PlayerClientCluster : IAsyncLifetime
{
    public const uint Account = 2000000;
    public const uint Alice = 150000;
    public const string Password = "player1pw";
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(60);

    private DistributionCluster? _cluster;

    public DistributionCluster Cluster => _cluster!;
    public string HostId { get; private set; } = "";

    /// <summary>The account in the format of conf/p2p/dev_accounts.yaml.</summary>
    public static string WriteAccounts()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("p2p-accounts-").FullName, "accounts.yaml");
        File.WriteAllText(path, $"""
            accounts:
              - account_id: {Account}
                userid: player1
                user_pass: {Password}
                sex: F
                characters:
                  - char_id: {Alice}
                    name: Alice
                    last_map: prontera
                  - char_id: {Alice + 1}
                    char_num: 1
                    name: Alba
                    last_map: geffen
            """);
        return path;
    }

    public async Task InitializeAsync()
    {
        _cluster = await DistributionCluster.StartAsync("  prontera:", $"accounts:\n  dev_file: {WriteAccounts()}");
        HostId = DistributionCluster.HostIdOf(await _cluster.StartAgentAsync("p2p"));
        await WaitForRunningAsync(_cluster, "prontera", TimeSpan.FromSeconds(30));
    }

    /// <summary>The options that point the client at this cluster.</summary>
    public string[] CoordinatorOptions => ["--coordinator", $"127.0.0.1:{Cluster.CoordinatorPort}", "--coordinator-key", Cluster.PublicKeyFile];

    public static Task<ProgramProcess> RunClientAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ProgramProcess.RunAsync("PlayerCli", arguments, environment, ClientTimeout, assembly: "p2p-client");

    public static ProgramProcess StartClient(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ProgramProcess.Start("PlayerCli", arguments, environment, assembly: "p2p-client");

    public static async Task<MapInfo> WaitForRunningAsync(DistributionCluster cluster, string map, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var info = await cluster.Grains.GetGrain<IMapGrain>(map).GetAsync();
            if (info.Assignment is not null && info.InstanceState == MapInstanceState.Running && info.InstancePort > 0) return info;
            if (watch.Elapsed > timeout) Assert.Fail($"{map} not running within {timeout}: {info}\n{cluster.Logs()}");
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PlayerClientCollection : ICollectionFixture<PlayerClientCluster>
{
    public const string Name = "p2p-client against a silo and an agent";
}
