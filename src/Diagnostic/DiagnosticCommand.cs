using System.CommandLine;
using System.CommandLine.Invocation;
using P2PCluster.Cli;

namespace P2PCluster.Diagnostic;

/// <summary>
/// The <c>p2p-diagnostic</c> command line: <c>--security</c>, <c>--network</c>, <c>--performance</c> (all three when
/// none is given), each check a <see cref="Finding"/>; failures become the exit codes of <see cref="ExitCodes"/>.
/// </summary>
public static class DiagnosticCommand
{
    public static RootCommand Create()
    {
        var options = new DiagnosticOptions();
        var root = new RootCommand("P2PCluster diagnostics: each check a finding (ok, warning, critical) with its evidence and advice. " +
            "With none of --security, --network, --performance, all three run.");
        foreach (var option in options.All) root.Add(option);
        root.SetAction((result, cancellationToken) => RunAsync(result, options, cancellationToken));
        ExitCodesHelp.Install(root, ExitCodes.Help);
        return root;
    }

    /// <summary>Parses and runs; a parse error is exit 2 with the option named (System.CommandLine's own would be 1).</summary>
    public static async Task<int> InvokeAsync(string[] args)
    {
        var parse = Create().Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors) Console.Error.WriteLine($"p2p-diagnostic: {error.Message}");
            Console.Error.WriteLine("Run 'p2p-diagnostic --help' for usage.");
            return ExitCodes.BadArguments;
        }
        return await parse.InvokeAsync();
    }

    private static async Task<int> RunAsync(ParseResult result, DiagnosticOptions options, CancellationToken cancellationToken)
    {
        var report = new Report(result.GetValue(options.Json));
        try
        {
            var arguments = options.Read(result);
            using var api = new AdminApi(arguments);
            var run = new CheckRun(arguments, api, report);
            if (arguments.Security) await new SecurityChecks(run).RunAsync(cancellationToken);
            if (arguments.Network) await new NetworkChecks(run).RunAsync(cancellationToken);
            if (arguments.Performance) await new PerformanceChecks(run).RunAsync(cancellationToken);
            return report.Finish();
        }
        catch (DiagnosticException e)
        {
            report.Fail(e);
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            report.Fail(new DiagnosticException(130, "interrupted"));
            return 130;
        }
        catch (Exception e)
        {
            report.Fail(new DiagnosticException(ExitCodes.Failed, $"unexpected failure: {e.GetType().Name}: {e.Message}"));
            return ExitCodes.Failed;
        }
    }
}
