namespace P2PCluster.Grains;

/// <summary>
/// What players say about a host, in memory: the distinct players who could not reach it within the suspect window
/// (enough of them and it is suspect: it takes no new maps and its maps move, whatever its heartbeats say), and a moving
/// average of the round trips they measured, which placement scores as latency. A fresh connection gets a fresh chance.
/// </summary>
public sealed class PlayerReports
{
    private readonly Dictionary<int, DateTimeOffset> _unreachable = [];

    public bool Suspect { get; private set; }

    /// <summary>Players' round trips to the host, moving average in milliseconds; -1 until the first report.</summary>
    public double LatencyMs { get; private set; } = -1;

    /// <summary>The host connected again.</summary>
    public void Reset()
    {
        Suspect = false;
        _unreachable.Clear();
    }

    /// <summary>One player's round trip. Exponential moving average: one player's bad Wi-Fi moves it a little, many players' reports a lot.</summary>
    public void RoundTrip(int milliseconds) => LatencyMs = LatencyMs < 0 ? milliseconds : 0.8 * LatencyMs + 0.2 * milliseconds;

    /// <summary>
    /// Player <paramref name="accountId"/> could not reach the host. Returns how many distinct players did within
    /// <paramref name="window"/> when that makes <paramref name="threshold"/> (the host is then suspect), else null.
    /// </summary>
    public int? Unreachable(int accountId, DateTimeOffset now, TimeSpan window, int threshold)
    {
        foreach (var (account, at) in _unreachable.ToList())
            if (now - at > window) _unreachable.Remove(account);
        _unreachable[accountId] = now;
        if (_unreachable.Count < threshold) return null;
        int count = _unreachable.Count;
        Suspect = true;
        _unreachable.Clear();
        return count;
    }
}
