namespace P2PCluster.KeyGen;

/// <summary>Ends p2p-keygen with <paramref name="exitCode"/> and a message for people.</summary>
public sealed class KeyGenException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>A bad option value: the message starts with the option's name.</summary>
    public static KeyGenException BadArgument(string option, string problem) => new(ExitCodes.BadArguments, $"{option}: {problem}");
}
