using System.Net;
using System.Text.Json;
using P2PCluster.Client;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// <c>p2p-client warp</c> and <c>report</c> as processes against a silo process and two host agent processes
/// (prontera on one, geffen on the other); each test plays its own character of player2.
/// </summary>
[Collection(PlayerClientCollection.Name)]
public sealed class PlayerClientWarpTests(PlayerClientCluster fixture)
{
    private static readonly Dictionary<string, string> Player2 = new() { ["P2P_CLIENT_PASSWORD"] = PlayerClientCluster.Password2 };
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task WarpTakesTheCharacterToTheOtherHostWithItsSavedData()
    {
        // Bea has earned something on prontera and is on her way to geffen (through the client library, as a game
        // would): p2p-client picks her up on geffen and warps her back to prontera, on the other host.
        // Within what the database proxy accepts for a character of the embedded store (hp/sp at most its max 40/11):
        // the host saves through the proxy before the warp, and a refused save refuses the warp.
        var progress = new CharacterState(119, 59, 42, 17, 9_000_000_000, 123_456, 987_654, 35, 9);
        await SendToGeffenAsync(PlayerClientCluster.Bea, progress);
        var prontera = await fixture.Cluster.Grains.GetGrain<IMapGrain>("prontera").GetAsync();

        await using var client = await PlayerClientCluster.RunClientAsync(
            ["warp", .. fixture.CoordinatorOptions, "--user", "player2", "--char", "Bea", "--map", "geffen", "--to", "prontera", "--json"], Player2);

        Assert.True(client.ExitCode == 0, client.Output);
        var events = PlayerClientCluster.Events(client);
        Assert.Equal(["logged_in", "route", "entered", "warped", "entered", "left"], events.Select(e => e.GetProperty("event").GetString()));
        var (onGeffen, warped, onProntera, left) = (events[2], events[3], events[4], events[5]);
        Assert.Equal(("geffen", fixture.GeffenHostId), (onGeffen.GetProperty("map").GetString(), onGeffen.GetProperty("host_id").GetString()));
        Assert.Equal(("geffen", fixture.GeffenHostId, "prontera", fixture.HostId, (ulong)prontera.Epoch),
            (warped.GetProperty("from_map").GetString(), warped.GetProperty("from_host_id").GetString(), warped.GetProperty("to_map").GetString(),
             warped.GetProperty("to_host_id").GetString(), warped.GetProperty("to_epoch").GetUInt64()));
        Assert.Equal(onGeffen.GetProperty("endpoint").GetString(), warped.GetProperty("from_endpoint").GetString());
        Assert.Equal(("prontera", fixture.HostId, (ulong)prontera.Epoch, warped.GetProperty("to_endpoint").GetString()),
            (onProntera.GetProperty("map").GetString(), onProntera.GetProperty("host_id").GetString(), onProntera.GetProperty("epoch").GetUInt64(),
             onProntera.GetProperty("endpoint").GetString()));
        Assert.Equal(progress, StateOf(onGeffen));
        Assert.Equal(progress, StateOf(onProntera)); // saved by the geffen host's warp, handed to the prontera host
        Assert.Equal("done", left.GetProperty("reason").GetString());

        var session = await fixture.Cluster.Grains.GetGrain<IPlayerSessionGrain>(PlayerClientCluster.Bea).GetAsync();
        Assert.Equal(new CharacterSnapshot(119, 59, 42, 17, 9_000_000_000, 123_456, 987_654, 35, 9), session.Character);
    }

    [Fact]
    public async Task WarpToAMapNoHostRunsIsRefusedWithTheCodeAndTheCharacterStays()
    {
        await using var client = await PlayerClientCluster.RunClientAsync(
            ["warp", .. fixture.CoordinatorOptions, "--user", "player2", "--char", "Bo", "--to", "payon", "--json"], Player2);

        Assert.True(client.ExitCode == 4, client.Output);
        var events = PlayerClientCluster.Events(client);
        Assert.Equal(["logged_in", "route", "entered", "error"], events.Select(e => e.GetProperty("event").GetString()));
        var error = events[3];
        Assert.Equal((268, "MapUnavailable", 4),
            (error.GetProperty("code").GetInt32(), error.GetProperty("name").GetString(), error.GetProperty("exit_code").GetInt32()));
        Assert.Contains("warp of Bo (150011) from prontera to payon refused: MapUnavailable (268)", client.Output);
        var session = await fixture.Cluster.Grains.GetGrain<IPlayerSessionGrain>(PlayerClientCluster.Bo).GetAsync();
        Assert.NotEqual(SessionState.Moving, session.State);
    }

    [Fact]
    public async Task ReportOnALiveHostAnswersTheSameHostAfterTheLatencyReport()
    {
        var prontera = await fixture.Cluster.Grains.GetGrain<IMapGrain>("prontera").GetAsync();
        await using var client = await PlayerClientCluster.RunClientAsync(
            ["report", .. fixture.CoordinatorOptions, "--user", "player2", "--char", "Cy", "--latency", $"{fixture.HostId}=25,{fixture.GeffenHostId}=80",
             "--json"], Player2);

        Assert.True(client.ExitCode == 0, client.Output);
        var events = PlayerClientCluster.Events(client);
        Assert.Equal(["logged_in", "latency", "route", "rerouted"], events.Select(e => e.GetProperty("event").GetString()));
        Assert.Equal([(fixture.HostId, 25), (fixture.GeffenHostId, 80)],
            events[1].GetProperty("hosts").EnumerateArray().Select(h => (h.GetProperty("host_id").GetString()!, h.GetProperty("rtt_ms").GetInt32())).ToList());
        var rerouted = events[3];
        // The host still serves prontera: the report is counted, and the answer is the same host again, with a fresh ticket.
        Assert.Equal(("prontera", fixture.HostId, (ulong)prontera.Epoch, true, fixture.HostId),
            (rerouted.GetProperty("map").GetString(), rerouted.GetProperty("host_id").GetString(), rerouted.GetProperty("epoch").GetUInt64(),
             rerouted.GetProperty("same_host").GetBoolean(), rerouted.GetProperty("from_host_id").GetString()));
        Assert.NotEmpty(Convert.FromBase64String(rerouted.GetProperty("ticket").GetString()!));
    }

    /// <summary>Enters prontera with <paramref name="charId"/> and warps it to geffen with <paramref name="state"/>, without entering geffen.</summary>
    private async Task SendToGeffenAsync(uint charId, CharacterState state)
    {
        byte[] key = KeyFiles.ParsePublic(await File.ReadAllTextAsync(fixture.Cluster.PublicKeyFile))!;
        await using var player = await PlayerClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, fixture.Cluster.CoordinatorPort), [key]);
        await player.LoginAsync("player2", PlayerClientCluster.Password2);
        await using var onProntera = await MapConnection.EnterAsync(await player.ResolveAsync(charId, "prontera"), Timeout);
        Assert.Equal("geffen", (await onProntera.WarpAsync("geffen", state, Timeout)).Map);
    }

    private static CharacterState StateOf(JsonElement entered)
    {
        var s = entered.GetProperty("state");
        return new CharacterState(s.GetProperty("x").GetUInt16(), s.GetProperty("y").GetUInt16(), s.GetProperty("base_level").GetUInt16(),
            s.GetProperty("job_level").GetUInt16(), s.GetProperty("base_exp").GetUInt64(), s.GetProperty("job_exp").GetUInt64(),
            s.GetProperty("zeny").GetUInt32(), s.GetProperty("hp").GetUInt32(), s.GetProperty("sp").GetUInt32());
    }
}
