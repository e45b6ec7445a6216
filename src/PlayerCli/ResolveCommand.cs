using System.CommandLine;

namespace P2PCluster.PlayerCli;

/// <summary><c>p2p-client resolve</c>: log in and ask where a character may play (RESOLVE → ROUTE), without entering.</summary>
public static class ResolveCommand
{
    public static Command Create(ClientOptions options) =>
        ClientCommand.Define(new Command("resolve",
                "Log in and resolve a character's map: which host runs it, at which endpoint and epoch. With --json the route " +
                "includes the ticket (base64, single use, valid for about a minute) for a game client to present."),
            options, withCharacter: true,
            async (_, arguments, output, cancellationToken) =>
            {
                await using var session = await PlayerSession.OpenAsync(arguments, output, cancellationToken);
                var character = CharacterChoice.Choose(session.Login.Characters, arguments.Character, arguments.User);
                var route = await session.ResolveAsync(character, arguments.Map ?? character.LastMap, cancellationToken);
                var record = RouteReport.Route(route.Info, character);
                record["ticket"] = Convert.ToBase64String(route.Ticket);
                output.Event("route", record, RouteReport.DescribeRoute(route.Info, character));
                return ExitCodes.Ok;
            });
}
