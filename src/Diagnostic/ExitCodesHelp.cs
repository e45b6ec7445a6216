using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace P2PCluster.Diagnostic;

/// <summary>The usual help, then the exit codes.</summary>
public sealed class ExitCodesHelp(HelpAction help) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        int result = help.Invoke(parseResult);
        parseResult.InvocationConfiguration.Output.WriteLine(ExitCodes.Help);
        return result;
    }
}
