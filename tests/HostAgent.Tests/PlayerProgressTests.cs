using System.Net;
using P2PCluster.Client;
using P2PCluster.HostAgent.Maps;
using P2PCluster.Protocol;
using Xunit.Abstractions;
using Call = P2PCluster.HostAgent.Tests.FakeDatabase.Call;
using P2PCluster.TestSupport;

namespace P2PCluster.HostAgent.Tests;

/// <summary>
/// The built-in instance keeps its players' characters at the database proxy (faked): loaded and marked online at
/// admission, saved before a warp, marked offline when they leave; a refused save refuses the warp; a proxy that
/// fails is logged and never holds up admission or a warp.
/// </summary>
public sealed class PlayerProgressTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const uint Char = TestTickets.Char;
    private const ProtocolError OutOfBounds = ProtocolError.ClusterBase + 17;
    private static readonly CharacterState Carried = new(119, 59, 42, 17, 9_000_000, 123_456, 987_654, 70, 25);
    private static readonly RouteInfo Geffen = new("geffen", 0, "h0123456789abcdef0123", "127.0.0.1:6999", 8, 1764115260000, [1, 2, 3]);

    private readonly LogCollector _log = new(output);
    private readonly TestTickets _tickets = new();
    private readonly FakeClaimer _claimer = new();
    private readonly FakeDatabase _database = new();
    private BuiltInMapInstance? _instance;
    private int _moves;

    public Task InitializeAsync()
    {
        _claimer.AnswerMove = (_, _, _, _, _) =>
        {
            Interlocked.Increment(ref _moves);
            return new MoveOutcome(ProtocolError.None, Geffen);
        };
        return Task.CompletedTask;
    }

    private async Task<BuiltInMapInstance> StartAsync()
    {
        _instance = new BuiltInMapInstance("prontera", IPAddress.Loopback, TestPorts.Range(1).Start, 10, () => 3,
            _tickets.Admission(_claimer) with { Database = _database }, TimeSpan.FromSeconds(30), _log.For<BuiltInMapInstance>());
        await _instance.StartAsync(CancellationToken.None);
        return _instance;
    }

    private Task<MapConnection> EnterAsync(BuiltInMapInstance instance)
    {
        var ticket = _tickets.Ticket("prontera", 3);
        return MapConnection.EnterAsync(TestTickets.Route(instance.Port, ticket, _tickets.Sign(ticket)), Timeout);
    }

    private Task CallsAsync(int count) =>
        Eventually.HoldsAsync(() => _database.Calls.Count >= count, Timeout, () => string.Join(", ", _database.Calls.Select(c => c.Operation)));

    [Fact]
    public async Task AdmissionLoadsTheCharacterAndMarksItOnline()
    {
        var instance = await StartAsync();
        await using var player = await EnterAsync(instance);
        await CallsAsync(2);
        Assert.Equal([new Call("load", Char, "prontera", 3), new Call("online", Char, "prontera", 3)], _database.Calls);
        Assert.Equal(1UL, _database.Row(Char).Version);
    }

    [Fact]
    public async Task AWarpSavesTheCarriedStateBeforeTheCoordinatorIsAskedToMoveThePlayer()
    {
        IReadOnlyList<Call> atMove = [];
        _claimer.AnswerMove = (_, _, _, _, _) =>
        {
            atMove = _database.Calls;
            return new MoveOutcome(ProtocolError.None, Geffen);
        };
        var instance = await StartAsync();
        await using var player = await EnterAsync(instance);

        Assert.Equal(Geffen, await player.WarpAsync("geffen", Carried, Timeout));
        var save = atMove[^1];
        Assert.Equal(("save", 1UL), (save.Operation, save.ExpectedVersion)); // the version DB_SET_ONLINE left
        // What the player carries replaces the saved values; what it does not carry (stats, points, max hp/sp) stays.
        Assert.Equal(FakeDatabase.Initial with { X = 119, Y = 59, BaseLevel = 42, JobLevel = 17, BaseExp = 9_000_000, JobExp = 123_456, Zeny = 987_654, Hp = 70, Sp = 25 },
            save.Record);
        Assert.Equal((save.Record, 2UL), _database.Row(Char));
        Assert.True(await player.ClosedByHostAsync(Timeout));
        await Eventually.HoldsAsync(() => instance.Players == 0, Timeout, () => $"{instance.Players} players");
        // Moved on, not left: still online, on its way to the next host.
        Assert.DoesNotContain(_database.Calls, c => c.Operation == "offline");
        Assert.Empty(_claimer.Left);
        Assert.Contains($"Map prontera: char {Char} saved through the database proxy (version 2)", _log.Text);
    }

    [Fact]
    public async Task ALeavingPlayerIsMarkedOfflineBeforeTheCoordinatorHearsItLeft()
    {
        int leftAtOffline = -1;
        _database.Gate = call =>
        {
            if (call.Operation == "offline") leftAtOffline = _claimer.Left.Count;
            return Task.CompletedTask;
        };
        var instance = await StartAsync();
        await using (await EnterAsync(instance)) await CallsAsync(2);

        await Eventually.HoldsAsync(() => _claimer.Left.Count == 1, Timeout, () => $"{_claimer.Left.Count} PLAYER_LEFT");
        Assert.Equal(["load", "online", "offline"], _database.Calls.Select(c => c.Operation));
        Assert.Equal(0, leftAtOffline); // the proxy accepts the flag only while the coordinator still has the player here
    }

    [Fact]
    public async Task ARefusedSaveRefusesTheWarpWithItsCodeAndThePlayerStays()
    {
        _database.Refuse = call => call.Operation == "save" && call.Record.X > 1000 ? OutOfBounds : null;
        var instance = await StartAsync();
        await using var player = await EnterAsync(instance);

        var refused = await Assert.ThrowsAsync<RequestRefusedException>(() => player.WarpAsync("geffen", Carried with { X = 5000 }, Timeout));
        Assert.Equal(OutOfBounds, refused.Code);
        Assert.Equal(0, _moves); // never asked the coordinator
        Assert.Equal(1, instance.Players);
        Assert.Equal(1UL, _database.Row(Char).Version); // nothing written
        Assert.Contains("Map prontera: the database proxy refused to save char 150000: OutOfBounds (273)", _log.Text);
        Assert.Contains("Map prontera: refused to warp char 150000 to geffen: the database proxy refused its save with OutOfBounds (273); it stays", _log.Text);

        // The same connection warps with a state the proxy accepts, over the version it still has.
        Assert.Equal(Geffen, await player.WarpAsync("geffen", Carried, Timeout));
        Assert.Equal(1, _moves);
        Assert.Equal(2UL, _database.Row(Char).Version);
    }

    [Fact]
    public async Task AFailingProxyIsLoggedAndHoldsUpNeitherAdmissionNorTheWarp()
    {
        var load = new TaskCompletionSource();
        _database.Gate = call => call.Operation == "load" && !load.Task.IsCompleted ? load.Task : Task.CompletedTask;
        _database.Refuse = _ => ProtocolError.Unavailable;
        var instance = await StartAsync();

        // ENTERED comes while the load still waits for the proxy.
        await using var player = await EnterAsync(instance);
        Assert.Equal(1, instance.Players);
        load.SetResult();
        await Eventually.HoldsAsync(() => _log.Text.Contains("DB_LOAD_CHAR of char 150000 failed: Unavailable (15)"), Timeout, () => _log.Text);

        // The warp tries the load once more, then goes ahead: the coordinator's session carries the state.
        Assert.Equal(Geffen, await player.WarpAsync("geffen", Carried, Timeout));
        Assert.Equal(1, _moves);
        Assert.Equal(["load", "load"], _database.Calls.Select(c => c.Operation));
        Assert.Contains("carrying on (the coordinator's session keeps the player's state)", _log.Text);
        Assert.Equal(MapRunState.Running, instance.State);
    }

    public async Task DisposeAsync()
    {
        if (_instance is not null) await _instance.StopAsync();
        _tickets.Dispose();
    }
}
