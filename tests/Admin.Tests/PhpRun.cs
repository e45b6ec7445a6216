namespace P2PCluster.Admin.Tests;

/// <summary>What one php-cli run printed and how it ended.</summary>
public sealed record PhpRun(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}
