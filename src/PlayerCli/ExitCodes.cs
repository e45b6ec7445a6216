namespace P2PCluster.PlayerCli;

/// <summary>p2p-client's exit codes: one per kind of failure, so a script can tell them apart (README, <c>--help</c>).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadArguments = 2;
    public const int CoordinatorUnreachable = 3;
    public const int Refused = 4;
    public const int MapHostUnreachable = 5;
    public const int Interrupted = 130;

    public const string Help = """
        Exit codes:
          0    done (connect: on the map until --seconds passed or Ctrl+C; warp: entered the destination and left, at once or after --seconds)
          1    unexpected failure (the message says what)
          2    bad arguments: the message names the option (--coordinator, --coordinator-key, --char, --to, --latency, ...)
          3    coordinator unreachable, handshake failed, or the coordinator closed the connection
          4    refused: the coordinator (REFUSED) or the map host (ERROR) said no, with a code from docs/protocol.md §5
               (warp: e.g. MapUnavailable, no host runs --to; the character stays where it was, saved)
          5    map host unreachable, or it closed the connection before ENTERED or during a warp (connect, warp: after every retry)
          130  interrupted (Ctrl+C) before it was done
        """;
}
