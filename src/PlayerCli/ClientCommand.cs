using System.CommandLine;
using System.CommandLine.Invocation;
using P2PCluster.Cli;

namespace P2PCluster.PlayerCli;

/// <summary>
/// The <c>p2p-client</c> command line: a player's way through the cluster, one subcommand per step (log in,
/// resolve, connect, warp, report). Every subcommand shares <see cref="ClientOptions"/> and runs through <see cref="RunAsync"/>,
/// which turns failures into the exit codes of <see cref="ExitCodes"/>.
/// </summary>
public static class ClientCommand
{
    public static RootCommand Create()
    {
        var options = new ClientOptions();
        var root = new RootCommand("P2PCluster game client: log in at the coordinator, resolve a character's map, play on the host " +
            "that runs it, warp to another map, report a host unreachable.")
        {
            LoginCommand.Create(options),
            ResolveCommand.Create(options),
            ConnectCommand.Create(options),
            WarpCommand.Create(options),
            ReportCommand.Create(options),
        };
        ExitCodesHelp.Install(root, ExitCodes.Help);
        return root;
    }

    /// <summary>Parses and runs; a parse error is exit 2 with the option named (System.CommandLine's own would be 1).</summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"p2p-client: {error.Message}");
            Console.Error.WriteLine("Run 'p2p-client --help' or 'p2p-client <command> --help' for usage.");
            return ExitCodes.BadArguments;
        }
        // A subcommand ends on Ctrl+C itself (connect leaves the map cleanly); give it time before the process is killed.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(5) });
    }

    /// <summary>
    /// Adds the shared options and the action to <paramref name="command"/>; <paramref name="run"/>
    /// gets the checked shared options (and the parse result, for the subcommand's own).
    /// </summary>
    public static Command Define(Command command, ClientOptions options, bool withCharacter,
        Func<ParseResult, ClientArguments, Output, CancellationToken, Task<int>> run)
    {
        foreach (var option in options.All(withCharacter)) command.Add(option);
        command.SetAction((result, cancellationToken) => RunAsync(result, options, run, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, ClientOptions options,
        Func<ParseResult, ClientArguments, Output, CancellationToken, Task<int>> run, CancellationToken cancellationToken)
    {
        var output = new Output(result.GetValue(options.Json));
        try
        {
            return await run(result, options.Read(result), output, cancellationToken);
        }
        catch (CliException e)
        {
            output.Fail(e);
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.Fail(new CliException(ExitCodes.Interrupted, "interrupted"));
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            output.Fail(new CliException(ExitCodes.Failed, $"unexpected failure: {e.GetType().Name}: {e.Message}"));
            return ExitCodes.Failed;
        }
    }
}
