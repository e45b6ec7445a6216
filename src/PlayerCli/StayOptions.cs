using System.CommandLine;
using P2PCluster.Cli;

namespace P2PCluster.PlayerCli;

/// <summary>
/// The options of the subcommands that stay on a map (<c>connect</c>, <c>warp</c>): how long, how often a keep-alive,
/// how many attempts to get (back) on. <paramref name="zeroStays"/>: whether <c>--seconds 0</c> stays until Ctrl+C
/// (connect) or leaves at once (warp); <paramref name="seconds"/> describes it.
/// </summary>
public sealed class StayOptions(bool zeroStays, string seconds)
{
    /// <summary>The built-in map instance closes a player's connection after 30 s without a byte.</summary>
    private const int HostIdleSeconds = 30;

    public Option<int> Seconds { get; } = NumberOptions.Validated(new Option<int>("--seconds") { Description = seconds, DefaultValueFactory = _ => 0 },
        value => value >= 0, "--seconds: must be 0 or more");

    public Option<int> Retries { get; } = NumberOptions.Validated(new Option<int>("--retries")
    {
        Description = "Attempts in a row to get (back) onto the map when the map is between hosts, or its host is unreachable or " +
            "closes the connection: resolve again and enter, after 0.25 s doubling to 5 s",
        DefaultValueFactory = _ => 10,
    }, value => value >= 0, "--retries: must be 0 or more");

    public Option<int> KeepAlive { get; } = NumberOptions.Validated(new Option<int>("--keepalive")
    {
        Description = $"Seconds between keep-alives on the map (the host closes a connection silent for {HostIdleSeconds} s)",
        DefaultValueFactory = _ => 10,
    }, value => value is >= 1 and < HostIdleSeconds, $"--keepalive: must be 1 to {HostIdleSeconds - 1} seconds");

    public IEnumerable<Option> All => [Seconds, Retries, KeepAlive];

    public ConnectSettings Read(ParseResult result)
    {
        int stay = result.GetValue(Seconds);
        return new ConnectSettings(stay == 0 && zeroStays ? null : TimeSpan.FromSeconds(stay), TimeSpan.FromSeconds(result.GetValue(KeepAlive)),
            result.GetValue(Retries));
    }
}
