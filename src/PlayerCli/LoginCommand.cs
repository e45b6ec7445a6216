using System.CommandLine;

namespace P2PCluster.PlayerCli;

/// <summary><c>p2p-client login</c>: log in and list the account's characters (LOGIN → LOGIN_OK).</summary>
public static class LoginCommand
{
    public static Command Create(ClientOptions options) =>
        ClientCommand.Define(new Command("login", "Log in at the coordinator and list the account's characters."), options, withCharacter: false,
            async (_, arguments, output, cancellationToken) =>
            {
                await using var session = await PlayerSession.OpenAsync(arguments, output, cancellationToken);
                return ExitCodes.Ok;
            });
}
