using P2PCluster.Client;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;
using Xunit.Abstractions;
using P2PCluster.TestSupport;

namespace P2PCluster.HostAgent.Tests;

/// <summary>
/// The agent against a real silo in this process: a player enters with a ticket and warps, and what the agent saved
/// through the database proxy is in the coordinator's character store, with its version and audit rows.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ProgressThroughTheProxyTests(SiloFixture silo, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const ProtocolError OutOfBounds = ProtocolError.ClusterBase + 17;
    private readonly LogCollector _log = new(output);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-agent-load-");
    private AgentRig _agent = null!;

    public async Task InitializeAsync()
    {
        // A fixed light load: the test machine's real cpu may top the limit that makes a host ineligible for maps.
        string metrics = Path.Combine(_dir.FullName, "metrics");
        await File.WriteAllTextAsync(metrics, "cpu=10\nmemory=10\nnetwork=1\n");
        _agent = new AgentRig(_log, silo.EndpointText, Convert.ToHexString(silo.CoordinatorPublicKey), null,
            ("coordinator:db_proxy_port", silo.DbProxyPort.ToString()), ("resources:metrics_file", metrics));
        await _agent.StartAsync();
        await silo.WaitForRunningAsync(SiloFixture.MapA, _agent.Identity.HostId, Timeout);
        await silo.WaitForRunningAsync(SiloFixture.MapB, _agent.Identity.HostId, Timeout);
    }

    private List<(string Operation, string Map, bool Accepted, ClusterError Code)> Audit(uint charId) =>
        [.. silo.Characters.Audit.Where(a => a.CharId == (int)charId).Select(a => (a.Operation, a.Map, a.Accepted, a.Code))];

    private Task AuditedAsync(uint charId, int rows) =>
        Eventually.HoldsAsync(() => Audit(charId).Count >= rows, Timeout, () => string.Join(", ", Audit(charId)));

    [Fact]
    public async Task AWarpSavesThePlayersProgressThroughTheProxyAndARefusedSaveOnlyRefusesTheWarp()
    {
        var (user, charId) = silo.AddPlayer(SiloFixture.MapA);
        await using var client = await PlayerClient.ConnectAsync(silo.Endpoint, [silo.CoordinatorPublicKey]);
        await client.LoginAsync(user, SiloFixture.Password);
        var here = await MapConnection.EnterAsync(await client.ResolveAsync(charId, SiloFixture.MapA), Timeout);
        await AuditedAsync(charId, 1); // admitted: loaded, then marked online

        // Bad input: a position outside the 300×200 map (within the protocol's 0–1023, so only the proxy can tell).
        var entered = here.Entered.State;
        var refused = await Assert.ThrowsAsync<RequestRefusedException>(() => here.WarpAsync(SiloFixture.MapB, entered with { X = 900 }, Timeout));
        Assert.Equal(OutOfBounds, refused.Code);
        Assert.Contains($"Map {SiloFixture.MapA}: refused to warp char {charId} to {SiloFixture.MapB}: the database proxy refused its save with OutOfBounds (273)", _log.Text);

        // The player stays and warps with its real progress: saved through the proxy before the coordinator moves it.
        var progress = entered with { X = 120, Y = 80, Zeny = entered.Zeny + 777, BaseExp = entered.BaseExp + 100 };
        var route = await here.WarpAsync(SiloFixture.MapB, progress, Timeout);
        var stored = await silo.Characters.LoadAsync((int)charId);
        Assert.NotNull(stored);
        Assert.Equal((SiloFixture.MapA, 120, 80, progress.Zeny, progress.BaseExp, 2L),
            (stored.LastMap, stored.Data.X, stored.Data.Y, stored.Data.Zeny, stored.Data.BaseExp, stored.Version));
        Assert.Equal((1, 40u), (stored.Data.Str, stored.Data.MaxHp)); // what the player does not carry keeps its stored value
        await here.DisposeAsync();

        // On the next map (this agent runs it too) the player enters with the saved state, is marked online there,
        // and when it leaves, offline.
        await using (var there = await MapConnection.EnterAsync(route, Timeout))
        {
            Assert.Equal(progress, there.Entered.State);
            await AuditedAsync(charId, 4);
        }
        await AuditedAsync(charId, 6);
        Assert.Equal(
            [
                ("online", SiloFixture.MapA, true, ClusterError.None), ("save", SiloFixture.MapA, false, ClusterError.OutOfBounds),
                ("save", SiloFixture.MapA, true, ClusterError.None), ("online", SiloFixture.MapB, true, ClusterError.None),
                ("offline", SiloFixture.MapB, true, ClusterError.None), ("offline", SiloFixture.MapB, true, ClusterError.None),
            ],
            Audit(charId));
        // The host wrote the first five. The sixth is the coordinator's once the session went offline: rAthena's row
        // follows the session, flag and place, and its last_map (still MapA, with the cell the warp entered on MapB)
        // is MapB's again.
        Assert.Equal([.. Enumerable.Repeat(_agent.Identity.HostId, 5), "coordinator"],
            silo.Characters.Audit.Where(a => a.CharId == (int)charId).Select(a => a.HostId));
        var row = (await silo.Characters.LoadAsync((int)charId))!;
        Assert.Equal((SiloFixture.MapB, 120, 80, 5L), (row.LastMap, row.Data.X, row.Data.Y, row.Version));
        // PLAYER_LEFT follows the offline flag: the coordinator then has the character offline too.
        var session = silo.Grains.GetGrain<IPlayerSessionGrain>((long)charId);
        await Eventually.HoldsAsync(async () => (await session.GetAsync()).State, state => state == SessionState.Offline, "the session offline", Timeout);

        // The refused save cost the agent nothing: connected, both maps running, no error logged.
        Assert.True(_agent.Database.Connected);
        Assert.All(_agent.Maps.Report(), m => Assert.Equal(MapRunState.Running, m.State));
        Assert.DoesNotContain(_log.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        _dir.Delete(recursive: true);
    }
}
