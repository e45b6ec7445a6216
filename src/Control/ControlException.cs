namespace P2PCluster.Control;

/// <summary>Ends the command with <paramref name="exitCode"/> and a message for people; <paramref name="problem"/> when the API refused.</summary>
public sealed class ControlException(int exitCode, string message, ApiProblem? problem = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
    public ApiProblem? Problem { get; } = problem;

    /// <summary>A bad option value: the message starts with the option's name.</summary>
    public static ControlException BadArgument(string option, string problem) => new(ExitCodes.BadArguments, $"{option}: {problem}");

    /// <summary>A state file that cannot be used: the message starts with the file's path.</summary>
    public static ControlException BadFile(string path, string problem) => new(ExitCodes.BadStateFile, $"{path}: {problem}");
}
