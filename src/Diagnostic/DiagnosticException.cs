namespace P2PCluster.Diagnostic;

/// <summary>Ends the run with <paramref name="exitCode"/> and a message for people.</summary>
public sealed class DiagnosticException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>A bad option value: the message starts with the option's name.</summary>
    public static DiagnosticException BadArgument(string option, string problem) => new(ExitCodes.BadArguments, $"{option}: {problem}");
}
