using System.CommandLine;
using System.CommandLine.Invocation;
using P2PCluster.Cli;

namespace P2PCluster.Control;

/// <summary>
/// The <c>p2p-control</c> command line. The seed's emergency actions are options of the root command, as the seed
/// spells them (<c>p2p-control --emergency-failover</c>, <c>--reset-network</c>, <c>--restore-state FILE</c>); host and map
/// actions are subcommands. Everything runs through <see cref="RunAsync"/>, which turns failures into <see cref="ExitCodes"/>.
/// </summary>
public static class ControlCommand
{
    public static RootCommand Create()
    {
        var options = new ControlOptions();
        var root = new RootCommand("P2PCluster operator's command line over the admin API (/api/v1): emergency failover to VPS, resume, " +
            "network reset, host and map actions, and backup/restore of the cluster state an operator cannot rebuild (docs/operations.md).");
        foreach (var option in options.All) root.Add(option);
        NetworkActions.Add(root, options);
        root.Add(StatusCommand.Create(options));
        root.Add(HostCommand.Create(options));
        root.Add(MapCommand.Create(options));
        ExitCodesHelp.Install(root, ExitCodes.Help);
        return root;
    }

    /// <summary>Parses and runs; a parse error is exit 2 with the option named (System.CommandLine's own would be 1).</summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"p2p-control: {error.Message}");
            Console.Error.WriteLine("Run 'p2p-control --help' or 'p2p-control <command> --help' for usage.");
            return ExitCodes.BadArguments;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(2) });
    }

    /// <summary>Sets <paramref name="command"/>'s action: the connection read and checked, then <paramref name="run"/>.</summary>
    public static void Define(Command command, ControlOptions options, Func<ParseResult, ApiClient, Output, CancellationToken, Task<int>> run) =>
        command.SetAction((result, cancellationToken) => RunAsync(result, options, run, cancellationToken));

    public static async Task<int> RunAsync(ParseResult result, ControlOptions options,
        Func<ParseResult, ApiClient, Output, CancellationToken, Task<int>> run, CancellationToken cancellationToken)
    {
        var output = new Output(result.GetValue(options.Json));
        try
        {
            var settings = ConnectionSettings.Read(result.GetValue(options.Url), result.GetValue(options.KeyFile),
                result.GetValue(options.Config), result.GetValue(options.Timeout));
            using var api = new ApiClient(settings);
            return await run(result, api, output, cancellationToken);
        }
        catch (ControlException e)
        {
            output.Fail(e);
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.Fail(new ControlException(ExitCodes.Interrupted, "interrupted"));
            return ExitCodes.Interrupted;
        }
        catch (Exception e)
        {
            output.Fail(new ControlException(ExitCodes.Failed, $"unexpected failure: {e.GetType().Name}: {e.Message}"));
            return ExitCodes.Failed;
        }
    }
}
