using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace P2PCluster.Cli;

/// <summary>The usual help, then the tool's exit codes: every command's <c>--help</c> ends with them.</summary>
public sealed class ExitCodesHelp(HelpAction help, string exitCodes) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        int result = help.Invoke(parseResult);
        parseResult.InvocationConfiguration.Output.WriteLine(exitCodes);
        return result;
    }

    /// <summary>Makes every help option of <paramref name="root"/> end with <paramref name="exitCodes"/>.</summary>
    public static void Install(RootCommand root, string exitCodes)
    {
        foreach (var option in root.Options.OfType<HelpOption>()) option.Action = new ExitCodesHelp((HelpAction)option.Action!, exitCodes);
    }
}
