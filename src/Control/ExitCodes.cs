namespace P2PCluster.Control;

/// <summary>p2p-control's exit codes (docs/operations.md, <c>--help</c>): one per kind of failure, so a script can tell them apart.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadArguments = 2;
    public const int Unreachable = 3;
    public const int Refused = 4;
    public const int BadStateFile = 5;
    public const int Interrupted = 130;

    public const string Help = """
        Exit codes:
          0    done (or nothing to change; --dry-run: the plan was printed)
          1    unexpected failure (the message says what)
          2    bad arguments: the message names the option (--url, --key-file, --config, --to, --min-score, ...)
          3    admin API unreachable (connection refused, timeout, TLS), or the cluster behind it did not answer (503)
          4    refused by the API: its problem's title, detail and field (wrong key 401, read key 403, unknown host or
               map 404, a policy conflict 409, ...); a restore that names a map this cluster does not know
          5    state file refused: not a p2p-control state file, corrupted (checksum), truncated, written by a newer
               version, or not readable/writable; nothing was applied
          130  interrupted (Ctrl+C): an action already sent runs to its end on the cluster
        """;
}
