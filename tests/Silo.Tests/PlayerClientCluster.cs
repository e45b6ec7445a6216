using System.Diagnostics;
using System.Text.Json;
using P2PCluster.Grains.Interfaces;
using P2PCluster.TestSupport;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// A silo process with two development accounts (player1: Alice on prontera, Alba on geffen; player2: Bea, Bo and Cy
/// on prontera, for the tests that warp and report) and two host agents, one running prontera and one geffen, for
/// driving the p2p-client program against; <see cref="RunClientAsync"/> runs it to its end.
/// </summary>
public sealed class PlayerClientCluster : IAsyncLifetime
{
    public const uint Account = 2000000;
    public const uint Alice = 150000;
    public const string Password = "player1pw";
    public const uint Account2 = 2000001;
    public const uint Bea = 150010, Bo = 150011, Cy = 150012;
    public const string Password2 = "player2pw";
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(60);

    private DistributionCluster? _cluster;

    public DistributionCluster Cluster => _cluster!;

    /// <summary>The host running prontera.</summary>
    public string HostId { get; private set; } = "";

    /// <summary>The host running geffen.</summary>
    public string GeffenHostId { get; private set; } = "";

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
              - account_id: {Account2}
                userid: player2
                user_pass: {Password2}
                sex: M
                characters:
                  - char_id: {Bea}
                    name: Bea
                    last_map: prontera
                    last_x: 156
                    last_y: 191
                  - char_id: {Bo}
                    char_num: 1
                    name: Bo
                    last_map: prontera
                  - char_id: {Cy}
                    char_num: 2
                    name: Cy
                    last_map: prontera
            """);
        return path;
    }

    public async Task InitializeAsync()
    {
        _cluster = await DistributionCluster.StartAsync("  prontera:\n  geffen:", $"accounts:\n  dev_file: {WriteAccounts()}");
        // One map per host, so that a warp between them goes from one PC to another.
        await _cluster.StartAgentAsync("p2p", maxMaps: 1);
        await _cluster.StartAgentAsync("p2p", maxMaps: 1);
        HostId = (await WaitForRunningAsync(_cluster, "prontera", TimeSpan.FromSeconds(30))).Assignment!.HostId;
        GeffenHostId = (await WaitForRunningAsync(_cluster, "geffen", TimeSpan.FromSeconds(30))).Assignment!.HostId;
    }

    /// <summary>The options that point the client at this cluster.</summary>
    public string[] CoordinatorOptions => ["--coordinator", $"127.0.0.1:{Cluster.CoordinatorPort}", "--coordinator-key", Cluster.PublicKeyFile];

    public static Task<ProgramProcess> RunClientAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ProgramProcess.RunAsync("PlayerCli", arguments, environment, ClientTimeout, assembly: "p2p-client");

    public static ProgramProcess StartClient(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        ProgramProcess.Start("PlayerCli", arguments, environment, assembly: "p2p-client");

    /// <summary>The client's <c>--json</c> output, one element per line.</summary>
    public static List<JsonElement> Events(ProgramProcess client) =>
        [.. client.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => JsonDocument.Parse(line).RootElement)];

    public static Task<MapInfo> WaitForRunningAsync(DistributionCluster cluster, string map, TimeSpan timeout) =>
        Eventually.HoldsAsync(() => cluster.Grains.GetGrain<IMapGrain>(map).GetAsync(),
            info => info.Assignment is not null && info.InstanceState == MapInstanceState.Running && info.InstancePort > 0,
            $"{map} running", timeout, describe: info => $"{info}\n{cluster.Logs()}");

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
