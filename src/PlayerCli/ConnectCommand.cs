using System.CommandLine;

namespace P2PCluster.PlayerCli;

/// <summary><c>p2p-client connect</c>: log in, resolve, enter the map on its host and stay there (<see cref="MapVisit"/>).</summary>
public static class ConnectCommand
{
    public static Command Create(ClientOptions options)
    {
        var stay = new StayOptions(zeroStays: true,
            "Leave the map after this many seconds on it (counted from the first ENTERED); 0 stays until Ctrl+C");
        var command = new Command("connect",
            "Log in, resolve the character's map, enter it on the host that runs it, and stay there sending keep-alives until " +
            "--seconds pass or Ctrl+C. If the host closes the connection or cannot be reached, resolve again and re-enter " +
            "(on the new host after a failover), up to --retries times in a row.");
        foreach (var option in stay.All) command.Add(option);
        return ClientCommand.Define(command, options, withCharacter: true, async (result, arguments, output, cancellationToken) =>
        {
            await using var visit = await MapVisit.OpenAsync(arguments, stay.Read(result), output, cancellationToken);
            return await visit.StayAsync(visit.FirstMap, first: null, cancellationToken);
        });
    }
}
