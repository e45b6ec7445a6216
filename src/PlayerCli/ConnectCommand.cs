using System.CommandLine;

namespace P2PCluster.PlayerCli;

/// <summary><c>p2p-client connect</c>: log in, resolve, enter the map on its host and stay there (<see cref="MapVisit"/>).</summary>
public static class ConnectCommand
{
    /// <summary>The built-in map instance closes a player's connection after 30 s without a byte.</summary>
    private const int HostIdleSeconds = 30;

    public static Command Create(ClientOptions options)
    {
        var seconds = new Option<int>("--seconds")
        {
            Description = "Leave the map after this many seconds on it (counted from the first ENTERED); 0 stays until Ctrl+C",
            DefaultValueFactory = _ => 0,
        };
        seconds.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--seconds: must be 0 or more"); });
        var retries = new Option<int>("--retries")
        {
            Description = "Attempts in a row to get (back) onto the map when the map is between hosts, or its host is unreachable or " +
                "closes the connection: resolve again and enter, after 0.25 s doubling to 5 s",
            DefaultValueFactory = _ => 10,
        };
        retries.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--retries: must be 0 or more"); });
        var keepAlive = new Option<int>("--keepalive")
        {
            Description = $"Seconds between keep-alives on the map (the host closes a connection silent for {HostIdleSeconds} s)",
            DefaultValueFactory = _ => 10,
        };
        keepAlive.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or >= HostIdleSeconds) r.AddError($"--keepalive: must be 1 to {HostIdleSeconds - 1} seconds");
        });

        var command = new Command("connect",
            "Log in, resolve the character's map, enter it on the host that runs it, and stay there sending keep-alives until " +
            "--seconds pass or Ctrl+C. If the host closes the connection or cannot be reached, resolve again and re-enter " +
            "(on the new host after a failover), up to --retries times in a row.")
        {
            seconds, retries, keepAlive,
        };
        return ClientCommand.Define(command, options, withCharacter: true, (result, arguments, output, cancellationToken) =>
        {
            int stay = result.GetValue(seconds);
            var settings = new ConnectSettings(stay == 0 ? null : TimeSpan.FromSeconds(stay), TimeSpan.FromSeconds(result.GetValue(keepAlive)),
                result.GetValue(retries));
            return new MapVisit(arguments, settings, output).RunAsync(cancellationToken);
        });
    }
}
