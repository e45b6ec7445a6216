using P2PCluster.Protocol;

namespace P2PCluster.PlayerCli;

/// <summary>Ends the command with <paramref name="exitCode"/> and a message for people; <paramref name="code"/> when a peer refused with one.</summary>
public sealed class CliException(int exitCode, string message, ProtocolError? code = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
    public ProtocolError? Code { get; } = code;

    /// <summary>Asking again soon may help (the map is between hosts, the host is gone): <c>connect</c> retries these.</summary>
    public bool Transient { get; init; }

    /// <summary>A bad option value: the message starts with the option's name.</summary>
    public static CliException BadArgument(string option, string problem) => new(ExitCodes.BadArguments, $"{option}: {problem}");
}
