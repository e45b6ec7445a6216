namespace P2PCluster.PlayerCli;

/// <summary>
/// How <c>connect</c> and <c>warp</c> stay on a map: leave after <paramref name="Stay"/> on it (null: until Ctrl+C; zero:
/// at once), a keep-alive every <paramref name="KeepAlive"/>, and at most <paramref name="Retries"/> attempts in a row
/// to get (back) on.
/// </summary>
public sealed record ConnectSettings(TimeSpan? Stay, TimeSpan KeepAlive, int Retries)
{
    /// <summary>Retry delays: up to this, the ceiling doubling to <see cref="MaxRetryDelay"/>, each drawn between zero and it (Backoff).</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>From connecting to the map host until ENTERED (the host itself waits 5 s for ENTER, then up to 5 s for its claim).</summary>
    public static readonly TimeSpan EnterTimeout = TimeSpan.FromSeconds(15);

    /// <summary>From WARP_REQUEST until MOVE or REFUSED (the host waits up to 5 s for the coordinator's answer).</summary>
    public static readonly TimeSpan WarpTimeout = TimeSpan.FromSeconds(15);
}
