using System.CommandLine;
using System.Net.Sockets;
using P2PCluster.Client;
using P2PCluster.Protocol;

namespace P2PCluster.PlayerCli;

/// <summary>
/// <c>p2p-client warp</c>: enter the character's map as <c>connect</c> does, ask its host to warp the character to
/// <c>--to</c> (WARP_REQUEST: the coordinator saves the character, then routes it; MOVE), and enter the destination
/// on the host the route names (<see cref="MapVisit"/>).
/// </summary>
public static class WarpCommand
{
    public static Command Create(ClientOptions options)
    {
        var to = new Option<string>("--to") { Description = "The map to warp to", HelpName = "map", Required = true };
        to.Validators.Add(r =>
        {
            string map = r.GetValueOrDefault<string>() ?? "";
            if (!ClientOptions.IsMapName(map)) r.AddError($"--to: {ClientOptions.NotAMapName(map)}");
        });
        var stay = new StayOptions(zeroStays: false,
            "Stay on the destination this many seconds (counted from its ENTERED), sending keep-alives; 0 leaves at once");
        var command = new Command("warp",
            "Log in, resolve the character's map and enter it on its host (as connect does), then ask that host to warp the " +
            "character to --to: the coordinator saves it first and routes it to the host that runs --to, where it enters with the " +
            "state it was saved with. Leaves at once, or after --seconds. A refused warp (e.g. MapUnavailable: no host runs --to) " +
            "leaves the character where it was, saved, and exits 4.")
        {
            to,
        };
        foreach (var option in stay.All) command.Add(option);
        return ClientCommand.Define(command, options, withCharacter: true, async (result, arguments, output, cancellationToken) =>
        {
            string target = result.GetValue(to)!;
            await using var visit = await MapVisit.OpenAsync(arguments, stay.Read(result), output, cancellationToken);
            var (connection, from) = await visit.EnterAsync(visit.FirstMap, first: null, leaveAt: null, cancellationToken);
            RouteInfo next;
            await using (connection)
            {
                next = await WarpAsync(connection, from, target, visit.Character, cancellationToken);
            }
            output.Event("warped", RouteReport.Warped(from, next, visit.Character), RouteReport.DescribeWarp(from, next, visit.Character));
            return await visit.StayAsync(target, next, cancellationToken);
        });
    }

    /// <summary>WARP_REQUEST with the character as its host admitted it; the route to the destination, or a <see cref="CliException"/>.</summary>
    private static async Task<RouteInfo> WarpAsync(MapConnection connection, RouteInfo from, string to, CharacterEntry character,
        CancellationToken cancellationToken)
    {
        string host = $"map host {from.HostId} at {from.Endpoint}";
        try
        {
            // The built-in instance takes the player's word for the state; this client claims nothing new, so the
            // character arrives with what it was saved with.
            return await connection.WarpAsync(to, connection.Entered.State, ConnectSettings.WarpTimeout, cancellationToken);
        }
        catch (RequestRefusedException e)
        {
            throw new CliException(ExitCodes.Refused,
                $"warp of {character.Name} ({character.CharId}) from {from.Map} to {to} refused: {e.Message}", e.Code);
        }
        catch (ProtocolException e)
        {
            throw new CliException(ExitCodes.MapHostUnreachable,
                $"{host} ended the connection during the warp: {e.Reason} ({ErrorNames.Describe(e.Code)})", e.Code);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.MapHostUnreachable, $"{host}: no answer to the warp within {ConnectSettings.WarpTimeout.TotalSeconds:F0} s");
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw new CliException(ExitCodes.MapHostUnreachable, $"{host}: the connection broke during the warp: {e.Message}");
        }
    }
}
