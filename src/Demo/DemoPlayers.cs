using System.Net;
using P2PCluster.Client;
using P2PCluster.Hosting;
using P2PCluster.Protocol;
using P2PCluster.Silo.Accounts;

namespace P2PCluster.Demo;

/// <summary>
/// <c>p2p-demo</c>: every character of the development accounts file plays through the real client library: logs in at
/// the gateway, resolves its map, enters it on whichever host runs it, warps between maps now and then (saved first,
/// its progress carried to the next host), and, when its host goes away (the demo stops an agent every minute),
/// reports it and lands on another host. Watch the log. On shutdown they leave first, before the demo's agents stop.
/// </summary>
public sealed partial class DemoPlayers(CoordinatorSettings settings, SigningIdentity coordinatorKey, IHostApplicationLifetime lifetime, ILogger<DemoPlayers> logger)
    : DemoService(lifetime)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    protected override void OnStopped() => LogStopped(logger);

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (settings.Accounts.Effective(settings.Database) != AccountSource.File || !File.Exists(settings.Accounts.DevFile)
            || settings.Accounts.UseMd5Passwords || !settings.Security.EncryptionEnabled)
        {
            LogNoPlayers(logger, settings.Accounts.DevFile);
            return;
        }
        var store = AccountsFile.Load(settings.Accounts.DevFile);
        var players = new List<(string User, string Password, CharacterEntry Character)>();
        foreach (var (user, password) in AccountsFile.Credentials(settings.Accounts.DevFile))
        {
            var account = await store.FindAccountAsync(user, stoppingToken);
            if (account is not { State: 0 }) continue;
            foreach (var c in await store.CharactersAsync(account.AccountId, stoppingToken))
                players.Add((user, password, new CharacterEntry((uint)c.CharId, (byte)c.Slot, (ushort)c.Class, (ushort)c.BaseLevel, c.Name, c.LastMap, (ushort)c.LastX, (ushort)c.LastY)));
        }
        // Give the demo agents a moment to take their maps.
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3), stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await Task.WhenAll(players.Select((p, i) => PlayAsync(p.User, p.Password, p.Character, i, stoppingToken)));
    }

    private async Task PlayAsync(string user, string password, CharacterEntry character, int index, CancellationToken stoppingToken)
    {
        var random = new Random(index + 1);
        var endpoint = new IPEndPoint(IPAddress.Loopback, settings.Coordinator.Port);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var client = await PlayerClient.ConnectAsync(endpoint, [coordinatorKey.PublicKey], stoppingToken);
                await client.LoginAsync(user, password, stoppingToken);
                string map = character.LastMap;
                var route = (await ResolveAsync(client, character, map, stoppingToken)).Info;
                var state = new CharacterState(character.X, character.Y, Math.Max((ushort)1, character.BaseLevel), 1, 0, 0, 0, 100, 50);
                while (!stoppingToken.IsCancellationRequested)
                {
                    MapConnection here;
                    try
                    {
                        here = await MapConnection.EnterAsync(route, Timeout, stoppingToken);
                    }
                    catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException or RequestRefusedException or ProtocolException
                                              && !stoppingToken.IsCancellationRequested)
                    {
                        var watch = System.Diagnostics.Stopwatch.StartNew();
                        var next = await client.ReportUnreachableAsync(character.CharId, route, stoppingToken);
                        LogRerouted(logger, character.Name, route.HostId, next.HostId, next.Map, watch.ElapsedMilliseconds);
                        route = next.Info;
                        continue;
                    }
                    await using (here)
                    {
                        state = here.Entered.State;
                        LogEntered(logger, character.Name, route.Map, route.HostId, route.HostKind == 1 ? "VPS" : "P2P", route.Epoch, state.Zeny);
                        // Play a while: keep-alives, then a warp to another running map.
                        var until = DateTime.UtcNow + TimeSpan.FromSeconds(15 + random.Next(15));
                        bool lost = false;
                        while (DateTime.UtcNow < until && !lost)
                        {
                            await here.KeepAliveAsync(stoppingToken);
                            lost = await here.ClosedByHostAsync(TimeSpan.FromSeconds(2), stoppingToken);
                        }
                        if (lost)
                        {
                            LogLost(logger, character.Name, route.Map, route.HostId);
                            route = (await ResolveAsync(client, character, route.Map, stoppingToken)).Info;
                            continue;
                        }
                        string target = settings.Maps.Keys.Where(m => m != route.Map).OrderBy(_ => random.Next()).FirstOrDefault() ?? route.Map;
                        var progress = state with { X = (ushort)random.Next(50, 250), Y = (ushort)random.Next(50, 250), Zeny = state.Zeny + (uint)random.Next(10, 500), BaseExp = state.BaseExp + 100 };
                        try
                        {
                            var moved = await here.WarpAsync(target, progress, Timeout, stoppingToken);
                            LogWarped(logger, character.Name, route.Map, route.HostId, moved.Map, moved.HostId, progress.Zeny);
                            route = moved;
                        }
                        catch (RequestRefusedException e)
                        {
                            LogWarpRefused(logger, character.Name, target, ErrorNames.Describe(e.Code));
                        }
                    }
                }
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // shutting down: whatever was in flight was cut short on purpose
            }
            catch (ProtocolException e) when (e.Code == ProtocolError.SessionReplaced)
            {
                // Someone else (p2p-client, a game client) entered with this character: it is theirs for the rest of the
                // run. Coming back would take it from them, and they would take it back, in turn.
                LogGivenUp(logger, character.Name);
                return;
            }
            catch (Exception e)
            {
                LogRestart(logger, character.Name, e.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Resolves until a host runs the map (it may be between hosts for a moment).</summary>
    private static async Task<RoutePacket> ResolveAsync(PlayerClient client, CharacterEntry character, string map, CancellationToken stoppingToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await client.ResolveAsync(character.CharId, map, stoppingToken);
            }
            catch (RequestRefusedException) when (attempt < 100)
            {
                await Task.Delay(200, stoppingToken);
            }
        }
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "Demo players need the development accounts file with plain passwords ({File}) and encryption on; none started")]
    private static partial void LogNoPlayers(ILogger logger, string file);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Demo player {Name} entered {Map} on {Kind} host {HostId} (epoch {Epoch}, zeny {Zeny})")]
    private static partial void LogEntered(ILogger logger, string name, string map, string hostId, string kind, ulong epoch, uint zeny);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "Demo player {Name} warped from {From} (host {FromHost}) to {To} (host {ToHost}), saved first with zeny {Zeny}")]
    private static partial void LogWarped(ILogger logger, string name, string from, string fromHost, string to, string toHost, uint zeny);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "Demo player {Name} could not reach host {OldHost}; re-routed to host {NewHost} for {Map} in {Ms} ms")]
    private static partial void LogRerouted(ILogger logger, string name, string oldHost, string newHost, string map, long ms);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Information, Message = "Demo player {Name} lost its host {HostId} on {Map}; resolving again")]
    private static partial void LogLost(ILogger logger, string name, string map, string hostId);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Information, Message = "Demo player {Name} could not warp to {Map}: {Code}")]
    private static partial void LogWarpRefused(ILogger logger, string name, string map, string code);

    [LoggerMessage(EventId = 1406, Level = LogLevel.Warning, Message = "Demo player {Name} starts over: {Reason}")]
    private static partial void LogRestart(ILogger logger, string name, string reason);

    [LoggerMessage(EventId = 1408, Level = LogLevel.Information, Message = "Demo player {Name}: another client entered with this character; the demo leaves it to them until the silo stops")]
    private static partial void LogGivenUp(ILogger logger, string name);

    [LoggerMessage(EventId = 1407, Level = LogLevel.Information, Message = "DEMO: players stopped (each left its map)")]
    private static partial void LogStopped(ILogger logger);
}
