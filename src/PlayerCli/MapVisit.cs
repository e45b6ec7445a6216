using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using P2PCluster.Client;
using P2PCluster.Protocol;

namespace P2PCluster.PlayerCli;

/// <summary>
/// A player on maps, as a game client would be: log in, resolve, enter on the host, stay with keep-alives. When the
/// host closes the connection or cannot be reached — it died, or the map moved — resolve again and enter wherever
/// the coordinator now routes (the client side of failover), with bounded, backed-off retries. A lost coordinator
/// connection is opened (and logged in) again the same way. <c>connect</c> enters and stays; <c>warp</c> enters,
/// warps, and stays on the destination.
/// </summary>
public sealed class MapVisit : IAsyncDisposable
{
    private enum Ending { StayOver, Interrupted, HostClosed }

    /// <summary>
    /// A stay the host ends sooner than this counts as a failed attempt (backed off, counted against the retries): a
    /// host that closes every connection at once must not make the client spin. A longer stay starts the count afresh.
    /// </summary>
    private static readonly TimeSpan StableStay = TimeSpan.FromSeconds(5);

    private readonly ClientArguments _arguments;
    private readonly ConnectSettings _settings;
    private readonly Output _output;
    private readonly Backoff _backoff = new(ConnectSettings.FirstRetryDelay, ConnectSettings.MaxRetryDelay);
    private PlayerSession? _session;
    private int _failures;

    private MapVisit(ClientArguments arguments, ConnectSettings settings, Output output, PlayerSession session, CharacterEntry character)
    {
        (_arguments, _settings, _output, _session) = (arguments, settings, output, session);
        Character = character;
    }

    /// <summary>The character <c>--char</c> chose.</summary>
    public CharacterEntry Character { get; }

    /// <summary>The map <c>--map</c> names, else the character's last map.</summary>
    public string FirstMap => _arguments.Map ?? Character.LastMap;

    /// <summary>Logs in and picks the character. The first login is not retried: a wrong address, key or password does not get better.</summary>
    public static async Task<MapVisit> OpenAsync(ClientArguments arguments, ConnectSettings settings, Output output, CancellationToken cancellationToken)
    {
        var session = await PlayerSession.OpenAsync(arguments, output, cancellationToken);
        try
        {
            return new MapVisit(arguments, settings, output, session, CharacterChoice.Choose(session.Login.Characters, arguments.Character, arguments.User));
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Gets onto <paramref name="map"/>: enters <paramref name="first"/> when given (a MOVE's route), else resolves and
    /// enters; reports <c>route</c> and <c>entered</c>. A transient failure (the map between hosts, its host
    /// unreachable, the coordinator lost) resolves again after a backed-off delay, up to the retries in a row, and not
    /// past <paramref name="leaveAt"/>.
    /// </summary>
    public async Task<(MapConnection Connection, RouteInfo Route)> EnterAsync(string map, RouteInfo? first, long? leaveAt, CancellationToken cancellationToken)
    {
        while (true)
        {
            CliException failure;
            try
            {
                RouteInfo route;
                if (first is { } given)
                {
                    (route, first) = (given, null); // once: a retry asks the coordinator again
                }
                else
                {
                    _session ??= await PlayerSession.OpenAsync(_arguments, _output, cancellationToken);
                    route = (await _session.ResolveAsync(Character, map, cancellationToken)).Info;
                    _output.Event("route", RouteReport.Route(route, Character), RouteReport.DescribeRoute(route, Character));
                }
                var connection = await ConnectAsync(route, cancellationToken);
                _output.Event("entered", RouteReport.Entered(connection.Entered, route), RouteReport.DescribeEntered(connection.Entered, route));
                return (connection, route); // the retry count starts afresh only after a stable stay (StayAsync)
            }
            catch (CliException e) when (e.Transient || e.ExitCode == ExitCodes.CoordinatorUnreachable)
            {
                failure = e;
                if (e.ExitCode == ExitCodes.CoordinatorUnreachable && _session is not null)
                {
                    await _session.DisposeAsync();
                    _session = null; // log in again before the next resolve
                }
            }
            await RetryDelayAsync(failure, leaveAt, cancellationToken);
        }
    }

    /// <summary>
    /// Enters <paramref name="map"/> (<see cref="EnterAsync"/>) and stays there with keep-alives until the stay is over
    /// or Ctrl+C, then leaves (<c>left</c>); when the host closes the connection (<c>host_closed</c>) it gets back on.
    /// </summary>
    public async Task<int> StayAsync(string map, RouteInfo? first, CancellationToken cancellationToken)
    {
        long? leaveAt = null;
        while (true)
        {
            var (connection, route) = await EnterAsync(map, first, leaveAt, cancellationToken);
            first = null;
            await using (connection)
            {
                leaveAt ??= _settings.Stay is { } stay ? Stopwatch.GetTimestamp() + (long)(stay.TotalSeconds * Stopwatch.Frequency) : null;
                long entered = Stopwatch.GetTimestamp();
                Ending ending;
                try
                {
                    ending = await WaitOnMapAsync(connection, leaveAt, cancellationToken);
                }
                catch (ProtocolException e) when (e.Code == ProtocolError.SessionReplaced)
                {
                    throw new CliException(ExitCodes.Refused, $"host {route.HostId} closed {route.Map}: {Character.Name} entered it from another " +
                        $"connection ({ErrorNames.Describe(e.Code)}); this client stops, so the two do not take the character from each other", e.Code);
                }
                double onMap = Stopwatch.GetElapsedTime(entered).TotalSeconds;
                var record = new JsonObject
                {
                    ["map"] = route.Map, ["host_id"] = route.HostId, ["epoch"] = route.Epoch, ["seconds_on_map"] = Math.Round(onMap, 3),
                };
                if (ending == Ending.HostClosed)
                {
                    _output.Event("host_closed", record, string.Create(CultureInfo.InvariantCulture,
                        $"host {route.HostId} closed the connection after {onMap:F1} s on {route.Map}; resolving again"));
                    if (onMap >= StableStay.TotalSeconds)
                    {
                        _failures = 0;
                        _backoff.Reset();
                        continue; // at once: the coordinator may already route elsewhere
                    }
                    await RetryDelayAsync(new CliException(ExitCodes.MapHostUnreachable, string.Create(CultureInfo.InvariantCulture,
                        $"host {route.HostId} closed {route.Map} {onMap:F1} s after ENTERED")) { Transient = true }, leaveAt, cancellationToken);
                    continue;
                }
                var (reason, why) = ending == Ending.Interrupted ? ("interrupted", "interrupted")
                    : _settings.Stay == TimeSpan.Zero ? ("done", "done") : ("seconds", "--seconds passed");
                record["reason"] = reason;
                _output.Event("left", record, string.Create(CultureInfo.InvariantCulture,
                    $"left {route.Map} on host {route.HostId} after {onMap:F1} s ({why})"));
                return ExitCodes.Ok;
            }
        }
    }

    /// <summary>Counts a failure and waits before the next attempt (<c>retry</c>), or gives up with it.</summary>
    private async Task RetryDelayAsync(CliException failure, long? leaveAt, CancellationToken cancellationToken)
    {
        if (++_failures > _settings.Retries)
            throw new CliException(failure.ExitCode, $"{failure.Message} (gave up after {_settings.Retries} retries)", failure.Code);
        var delay = _backoff.Next();
        if (leaveAt is { } end && Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency) > end)
            throw new CliException(failure.ExitCode, $"{failure.Message} (--seconds passed while getting back onto the map)", failure.Code);
        var retry = new JsonObject
        {
            ["attempt"] = _failures, ["retries"] = _settings.Retries, ["delay_ms"] = (int)delay.TotalMilliseconds,
            ["exit_code"] = failure.ExitCode, ["message"] = failure.Message,
        };
        if (failure.Code is { } code)
        {
            retry["code"] = (int)code;
            retry["name"] = ErrorNames.Name(code);
        }
        _output.Event("retry", retry, $"{failure.Message}; retrying in {delay.TotalMilliseconds:F0} ms ({_failures} of {_settings.Retries})");
        await Task.Delay(delay, cancellationToken);
    }

    /// <summary>ENTER with the route's ticket; every failure is transient (a retry resolves again, perhaps to another host).</summary>
    private static async Task<MapConnection> ConnectAsync(RouteInfo route, CancellationToken cancellationToken)
    {
        string host = $"map host {route.HostId} at {route.Endpoint}";
        try
        {
            return await MapConnection.EnterAsync(route, ConnectSettings.EnterTimeout, cancellationToken);
        }
        catch (RequestRefusedException e)
        {
            throw new CliException(ExitCodes.Refused, $"{host} refused the ticket: {e.Message}", e.Code) { Transient = true };
        }
        catch (SocketException e)
        {
            throw new CliException(ExitCodes.MapHostUnreachable, $"{host} unreachable: {SocketFailure.Describe(e)}") { Transient = true };
        }
        catch (IOException e)
        {
            throw new CliException(ExitCodes.MapHostUnreachable,
                $"{host}: the connection broke: {(e.InnerException is SocketException s ? SocketFailure.Describe(s) : e.Message)}") { Transient = true };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.MapHostUnreachable,
                $"{host}: no ENTERED within {ConnectSettings.EnterTimeout.TotalSeconds:F0} s") { Transient = true };
        }
        catch (ProtocolException e)
        {
            throw new CliException(ExitCodes.MapHostUnreachable, $"{host}: {e.Reason} ({ErrorNames.Describe(e.Code)})") { Transient = true };
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCodes.MapHostUnreachable, $"{host}: {e.Message}") { Transient = true };
        }
    }

    /// <summary>Keep-alives until the stay is over (<paramref name="leaveAt"/>), Ctrl+C, or the host closes the connection.</summary>
    private async Task<Ending> WaitOnMapAsync(MapConnection connection, long? leaveAt, CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = _settings.KeepAlive;
            if (leaveAt is { } end)
            {
                var left = TimeSpan.FromSeconds((double)(end - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
                if (left <= TimeSpan.Zero) return Ending.StayOver;
                if (left < wait) wait = left;
            }
            try
            {
                if (await connection.ClosedByHostAsync(wait, cancellationToken)) return Ending.HostClosed;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Ending.Interrupted;
            }
            if (leaveAt is { } due && Stopwatch.GetTimestamp() >= due) return Ending.StayOver;
            try
            {
                await connection.KeepAliveAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Ending.Interrupted;
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return Ending.HostClosed;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is not null) await _session.DisposeAsync();
    }
}
