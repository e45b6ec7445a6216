namespace P2PCluster.KeyGen;

/// <summary>p2p-keygen's exit codes (docs/operations.md, "Keys and rollover"; <c>--help</c>).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadArguments = 2;
    public const int StoreUnavailable = 3;
    public const int Refused = 4;
    public const int BadConfiguration = 5;

    public const string Help = """
        Exit codes:
          0    done
          1    unexpected failure (the message says what)
          2    bad arguments: the message names the option (--out, --retire, --revoke, ...)
          3    the key set's store is unreachable or unreadable (MariaDB p2p_coordinator_keys, or data_dir/coordinator_keys.json)
          4    refused: the key file exists (use --force), a key file group or others may read, not an Ed25519 key,
               or a key set change that would break the rollover (the message says what to do instead)
          5    p2p.conf (--config) is invalid: the message names the key
        """;
}
