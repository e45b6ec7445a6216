using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using P2PCluster.Client;
using P2PCluster.Protocol;

namespace P2PCluster.PlayerCli;

/// <summary>
/// A player on a map, as a game client would be: log in, resolve, enter on the host, stay with keep-alives. When the
/// host closes the connection or cannot be reached — it died, or the map moved — resolve again and enter wherever
/// the coordinator now routes (the client side of failover), with bounded, backed-off retries. A lost coordinator
/// connection is opened (and logged in) again the same way.
/// </summary>
public sealed class MapVisit(ClientArguments arguments, ConnectSettings settings, Output output)
{
    private enum Ending { StayOver, Interrupted, HostClosed }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // The first login is not retried: a wrong address, key or password does not get better.
        PlayerSession? session = await PlayerSession.OpenAsync(arguments, output, cancellationToken);
        try
        {
            var character = CharacterChoice.Choose(session.Login.Characters, arguments.Character, arguments.User);
            string map = arguments.Map ?? character.LastMap;
            var backoff = new Backoff(ConnectSettings.FirstRetryDelay, ConnectSettings.MaxRetryDelay);
            long? leaveAt = null;
            int failures = 0;
            while (true)
            {
                CliException failure;
                try
                {
                    session ??= await PlayerSession.OpenAsync(arguments, output, cancellationToken);
                    var route = await session.ResolveAsync(character, map, cancellationToken);
                    output.Event("route", RouteReport.Route(route, character), RouteReport.DescribeRoute(route, character));
                    await using var connection = await EnterAsync(route, cancellationToken);
                    output.Event("entered", RouteReport.Entered(connection.Entered, route), RouteReport.DescribeEntered(connection.Entered, route));
                    (failures, leaveAt) = (0, leaveAt ?? (settings.Stay is { } stay ? Stopwatch.GetTimestamp() + (long)(stay.TotalSeconds * Stopwatch.Frequency) : null));
                    backoff.Reset();

                    long entered = Stopwatch.GetTimestamp();
                    var ending = await StayAsync(connection, leaveAt, cancellationToken);
                    double onMap = Stopwatch.GetElapsedTime(entered).TotalSeconds;
                    var record = new JsonObject
                    {
                        ["map"] = route.Map, ["host_id"] = route.HostId, ["epoch"] = route.Epoch, ["seconds_on_map"] = Math.Round(onMap, 3),
                    };
                    if (ending == Ending.HostClosed)
                    {
                        output.Event("host_closed", record, string.Create(CultureInfo.InvariantCulture,
                            $"host {route.HostId} closed the connection after {onMap:F1} s on {route.Map}; resolving again"));
                        continue; // at once: the coordinator may already route elsewhere
                    }
                    record["reason"] = ending == Ending.StayOver ? "seconds" : "interrupted";
                    output.Event("left", record, string.Create(CultureInfo.InvariantCulture,
                        $"left {route.Map} on host {route.HostId} after {onMap:F1} s ({(ending == Ending.StayOver ? "--seconds passed" : "interrupted")})"));
                    return ExitCodes.Ok;
                }
                catch (CliException e) when (e.Transient || e.ExitCode == ExitCodes.CoordinatorUnreachable)
                {
                    failure = e;
                    if (e.ExitCode == ExitCodes.CoordinatorUnreachable && session is not null)
                    {
                        await session.DisposeAsync();
                        session = null; // log in again before the next resolve
                    }
                }

                if (++failures > settings.Retries)
                    throw new CliException(failure.ExitCode, $"{failure.Message} (gave up after {settings.Retries} retries)", failure.Code);
                var delay = backoff.Next();
                if (leaveAt is { } end && Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency) > end)
                    throw new CliException(failure.ExitCode, $"{failure.Message} (--seconds passed while getting back onto the map)", failure.Code);
                var retry = new JsonObject
                {
                    ["attempt"] = failures, ["retries"] = settings.Retries, ["delay_ms"] = (int)delay.TotalMilliseconds,
                    ["exit_code"] = failure.ExitCode, ["message"] = failure.Message,
                };
                if (failure.Code is { } code)
                {
                    retry["code"] = (int)code;
                    retry["name"] = ErrorNames.Name(code);
                }
                output.Event("retry", retry, $"{failure.Message}; retrying in {delay.TotalMilliseconds:F0} ms ({failures} of {settings.Retries})");
                await Task.Delay(delay, cancellationToken);
            }
        }
        finally
        {
            if (session is not null) await session.DisposeAsync();
        }
    }

    /// <summary>ENTER with the route's ticket; every failure is transient (a retry resolves again, perhaps to another host).</summary>
    private static async Task<MapConnection> EnterAsync(RoutePacket route, CancellationToken cancellationToken)
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
    private async Task<Ending> StayAsync(MapConnection connection, long? leaveAt, CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = settings.KeepAlive;
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
}
