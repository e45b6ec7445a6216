namespace P2PCluster.Protocol;

/// <summary>
/// The ranges the cluster gives wire integers: char ids are rAthena's signed 32-bit ids, epochs and versions the
/// cluster's signed 64-bit counters. A codec rejects a value above them as Malformed, like a map name that is not one.
/// </summary>
public static class WireDomain
{
    /// <summary>A char id: 1 to 2^31−1.</summary>
    public static bool IsCharId(uint charId) => charId is >= 1 and <= int.MaxValue;

    /// <summary>An epoch: 1 to 2^63−1.</summary>
    public static bool IsEpoch(ulong epoch) => epoch is >= 1 and <= long.MaxValue;

    /// <summary>A version or other signed 64-bit counter: 0 to 2^63−1.</summary>
    public static bool IsSigned64(ulong value) => value <= long.MaxValue;
}
