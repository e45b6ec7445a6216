namespace P2PCluster.Diagnostic;

/// <summary>p2p-diagnostic's exit codes (README, docs/operations.md, <c>--help</c>).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadArguments = 2;
    public const int Unreachable = 3;
    public const int Refused = 4;
    public const int Findings = 5;

    public const string Help = """
        Exit codes:
          0    every finding ok
          1    unexpected failure (the message says what)
          2    bad arguments or configuration: the message names the option or key (--config, --timeout-ms, ...)
          3    the admin API (or its cluster) cannot be reached: the findings that need it are critical, the others are shown
          4    the admin API refused the key (401/403): give --api-key-file or P2P_CONTROL_KEY
          5    at least one finding is a warning or critical
        """;
}
