using P2PCluster.Grains.Interfaces;
using P2PCluster.TestSupport;

namespace P2PCluster.Silo.Tests;

/// <summary>The p2p-client program, run as a process against a silo process and host agent processes.</summary>
[Collection(PlayerClientCollection.Name)]
public sealed class PlayerClientProcessTests(PlayerClientCluster fixture)
{
    private static readonly Dictionary<string, string> PasswordVariable = new() { ["P2P_CLIENT_PASSWORD"] = PlayerClientCluster.Password };

    [Fact]
    public async Task ConnectEntersTheMapOnItsHostAndReportsHostAndEpoch()
    {
        var map = await fixture.Cluster.Grains.GetGrain<IMapGrain>("prontera").GetAsync();
        await using var client = await PlayerClientCluster.RunClientAsync(
            ["connect", .. fixture.CoordinatorOptions, "--user", "player1", "--seconds", "2", "--json"], PasswordVariable);

        Assert.True(client.ExitCode == 0, client.Output);
        var events = PlayerClientCluster.Events(client);
        Assert.Equal(["logged_in", "route", "entered", "left"], events.Select(e => e.GetProperty("event").GetString()));
        var entered = events[2];
        Assert.Equal(fixture.HostId, entered.GetProperty("host_id").GetString());
        Assert.Equal((ulong)map.Epoch, entered.GetProperty("epoch").GetUInt64());
        Assert.Equal(("prontera", PlayerClientCluster.Alice, PlayerClientCluster.Account),
            (entered.GetProperty("map").GetString(), entered.GetProperty("char_id").GetUInt32(), entered.GetProperty("account_id").GetUInt32()));
        Assert.Equal("seconds", events[3].GetProperty("reason").GetString());
        Assert.InRange(events[3].GetProperty("seconds_on_map").GetDouble(), 1.9, 30);
        Assert.DoesNotContain(PlayerClientCluster.Password, client.Output);

        // The client left the map when its seconds were up: the host reports it (PLAYER_LEFT) and the character goes
        // offline with its saved state, instead of staying "online" on a host it has left.
        var grain = fixture.Cluster.Grains.GetGrain<IPlayerSessionGrain>(PlayerClientCluster.Alice);
        var session = await Eventually.HoldsAsync(() => grain.GetAsync(), s => s.State == SessionState.Offline, "the session offline", TimeSpan.FromSeconds(10));
        Assert.NotNull(session.Character);
    }

    [Fact]
    public async Task ResolvePrintsTheRouteOfTheNamedCharacterInPlainText()
    {
        await using var client = await PlayerClientCluster.RunClientAsync(
            ["resolve", .. fixture.CoordinatorOptions, "--user", "player1", "--password", PlayerClientCluster.Password, "--char", "alice"]);

        Assert.True(client.ExitCode == 0, client.Output);
        Assert.Contains($"route: Alice ({PlayerClientCluster.Alice}) → prontera on host {fixture.HostId} (p2p) at 127.0.0.1:", client.StandardOutput);
        Assert.DoesNotContain(PlayerClientCluster.Password, client.Output);
    }

    [Fact]
    public async Task WrongPasswordExitsWithRefusedAndNamesLoginFailed()
    {
        await using var client = await PlayerClientCluster.RunClientAsync(
            ["connect", .. fixture.CoordinatorOptions, "--user", "player1", "--password", "not-the-password", "--json"]);

        Assert.True(client.ExitCode == 4, client.Output);
        var error = Assert.Single(PlayerClientCluster.Events(client));
        Assert.Equal(("error", 266, "LoginFailed", 4),
            (error.GetProperty("event").GetString(), error.GetProperty("code").GetInt32(), error.GetProperty("name").GetString(), error.GetProperty("exit_code").GetInt32()));
        Assert.Contains("LoginFailed (266)", client.Output);
        Assert.DoesNotContain("not-the-password", client.Output);
    }

    [Fact]
    public async Task UnknownCharacterNameIsABadArgumentNamingTheOption()
    {
        await using var client = await PlayerClientCluster.RunClientAsync(
            ["connect", .. fixture.CoordinatorOptions, "--user", "player1", "--char", "Nobody"], PasswordVariable);

        Assert.True(client.ExitCode == 2, client.Output);
        Assert.Contains("p2p-client: --char: account 'player1' has no character 'Nobody' (its characters: Alice (150000), Alba (150001))", client.Output);
        Assert.DoesNotContain("   at ", client.Output); // no stack trace
    }

    [Fact]
    public async Task RefusedResolveNamesTheClusterError()
    {
        await using var client = await PlayerClientCluster.RunClientAsync(
            ["resolve", .. fixture.CoordinatorOptions, "--user", "player1", "--char", "Alice", "--map", "payon"], PasswordVariable);

        Assert.True(client.ExitCode == 4, client.Output);
        Assert.Contains("InvalidTransition (262)", client.Output);
    }
}
