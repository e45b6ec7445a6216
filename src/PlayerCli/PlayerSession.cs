using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using P2PCluster.Client;
using P2PCluster.Protocol;

namespace P2PCluster.PlayerCli;

/// <summary>
/// A logged-in game-client session with the coordinator (<see cref="PlayerClient"/>), with every failure turned
/// into a <see cref="CliException"/> carrying the exit code and the refusal's code.
/// </summary>
public sealed class PlayerSession : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly PlayerClient _client;

    private PlayerSession(PlayerClient client, LoginOkPacket login)
    {
        _client = client;
        Login = login;
    }

    public LoginOkPacket Login { get; }

    /// <summary>Connects (every address of the name in turn), completes the handshake and logs in; reports <c>logged_in</c>.</summary>
    public static async Task<PlayerSession> OpenAsync(ClientArguments arguments, Output output, CancellationToken cancellationToken)
    {
        var client = await ConnectAsync(arguments.Coordinator, new CoordinatorTrust(arguments.CoordinatorKey, arguments.KeySetFile), cancellationToken);
        try
        {
            LoginOkPacket login;
            try
            {
                login = await WithTimeout(token => client.LoginAsync(arguments.User, arguments.Password, token), "LOGIN", cancellationToken);
            }
            catch (RequestRefusedException e)
            {
                throw new CliException(ExitCodes.Refused, $"login as '{arguments.User}' refused: {e.Message}", e.Code);
            }
            catch (ProtocolException e) when (e.Code is LoginFailed or AccountBlocked)
            {
                throw new CliException(ExitCodes.Refused, $"login as '{arguments.User}' refused: {e.Message}", e.Code);
            }
            output.Event("logged_in", Describe(login, arguments),
                $"logged in to {arguments.Coordinator} as {arguments.User} (account {login.AccountId}); characters: " +
                (login.Characters.Count == 0 ? "none" : string.Join(", ", login.Characters.Select(c => $"{c.Name} ({c.CharId}, {c.LastMap})"))));
            return new PlayerSession(client, login);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>ROUTE for <paramref name="character"/> onto <paramref name="map"/>; a REFUSED is exit 4 with its code.</summary>
    public async Task<RoutePacket> ResolveAsync(CharacterEntry character, string map, CancellationToken cancellationToken)
    {
        try
        {
            return await WithTimeout(token => _client.ResolveAsync(character.CharId, map, token), "RESOLVE", cancellationToken);
        }
        catch (RequestRefusedException e)
        {
            throw new CliException(ExitCodes.Refused, $"resolve of {character.Name} ({character.CharId}) onto {map} refused: {e.Message}", e.Code)
            {
                // No host runs the map right now (it is moving, or starting), or the cluster did not answer in time.
                Transient = e.Code is MapUnavailable or StoreUnavailable or ProtocolError.Unavailable,
            };
        }
    }

    /// <summary>
    /// REPORT_UNREACHABLE about <paramref name="route"/>; the answer is the route to use now (another host once the map
    /// has moved, or the same one while the cluster counts it as serving the map). A REFUSED is exit 4 with its code.
    /// </summary>
    public async Task<RoutePacket> ReportUnreachableAsync(CharacterEntry character, RouteInfo route, CancellationToken cancellationToken)
    {
        try
        {
            return await WithTimeout(token => _client.ReportUnreachableAsync(character.CharId, route, token), "REPORT_UNREACHABLE", cancellationToken);
        }
        catch (RequestRefusedException e)
        {
            throw new CliException(ExitCodes.Refused,
                $"report of host {route.HostId} ({route.Map}, epoch {route.Epoch}) for {character.Name} ({character.CharId}) refused: {e.Message}", e.Code);
        }
    }

    /// <summary>LATENCY_REPORT; it has no answer, so sent is all there is to know.</summary>
    public Task ReportLatencyAsync(IReadOnlyList<HostLatency> hosts, CancellationToken cancellationToken) =>
        WithTimeout(async token =>
        {
            await _client.ReportLatencyAsync(hosts, token);
            return true;
        }, "LATENCY_REPORT", cancellationToken);

    private static async Task<PlayerClient> ConnectAsync(CoordinatorEndpoint coordinator, CoordinatorTrust trust, CancellationToken cancellationToken)
    {
        IPEndPoint[] addresses;
        try
        {
            addresses = await coordinator.ResolveAsync(cancellationToken);
        }
        catch (SocketException e)
        {
            throw Unreachable(coordinator, SocketFailure.Describe(e));
        }
        if (addresses.Length == 0) throw Unreachable(coordinator, "the name has no address");
        for (int i = 0; ; i++)
        {
            try
            {
                return await PlayerClient.ConnectAsync(addresses[i], trust, cancellationToken);
            }
            catch (SocketException) when (i + 1 < addresses.Length)
            {
                // Another address of the same name may answer.
            }
            catch (SocketException e)
            {
                throw Unreachable(coordinator, SocketFailure.Describe(e));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Unreachable(coordinator, "no handshake within 10 s (timeout)");
            }
            catch (IOException e)
            {
                throw Unreachable(coordinator, e.InnerException is SocketException s ? SocketFailure.Describe(s) : e.Message);
            }
            catch (ProtocolException e)
            {
                string hint = e.Code == ProtocolError.BadSignature ? " (is --coordinator-key this coordinator's key?)" : "";
                throw new CliException(ExitCodes.CoordinatorUnreachable, $"coordinator {coordinator}: handshake failed: {e.Message}{hint}", e.Code);
            }
        }
    }

    /// <summary>
    /// One request with a deadline; a connection lost on the way is exit 3 (the caller may reconnect).
    /// </summary>
    private static async Task<T> WithTimeout<T>(Func<CancellationToken, Task<T>> request, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout);
        try
        {
            return await request(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.CoordinatorUnreachable, $"the coordinator did not answer {what} within {RequestTimeout.TotalSeconds:F0} s");
        }
        catch (ProtocolException e) when (e.Code is not (LoginFailed or AccountBlocked))
        {
            throw new CliException(ExitCodes.CoordinatorUnreachable, $"the coordinator ended the session: {e.Message}", e.Code);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw new CliException(ExitCodes.CoordinatorUnreachable, $"the connection to the coordinator broke: {e.Message}");
        }
    }

    private static CliException Unreachable(CoordinatorEndpoint coordinator, string why) =>
        new(ExitCodes.CoordinatorUnreachable, $"coordinator {coordinator} unreachable: {why}");

    private static JsonObject Describe(LoginOkPacket login, ClientArguments arguments)
    {
        var characters = new JsonArray();
        foreach (var c in login.Characters)
        {
            characters.Add(new JsonObject
            {
                ["char_id"] = c.CharId, ["slot"] = c.Slot, ["name"] = c.Name, ["class"] = c.Class, ["base_level"] = c.BaseLevel,
                ["last_map"] = c.LastMap, ["x"] = c.X, ["y"] = c.Y,
            });
        }
        return new JsonObject
        {
            ["coordinator"] = arguments.Coordinator.ToString(), ["user"] = arguments.User, ["account_id"] = login.AccountId,
            ["sex"] = ((char)login.Sex).ToString(), ["characters"] = characters,
        };
    }

    private const ProtocolError LoginFailed = ProtocolError.ClusterBase + 10;
    private const ProtocolError AccountBlocked = ProtocolError.ClusterBase + 11;
    private const ProtocolError MapUnavailable = ProtocolError.ClusterBase + 12;
    private const ProtocolError StoreUnavailable = ProtocolError.ClusterBase + 15;

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
