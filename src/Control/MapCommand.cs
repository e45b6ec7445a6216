using System.CommandLine;
using System.Globalization;
using System.Net.Http;
using System.Text.Json.Nodes;
using P2PCluster.Protocol;

namespace P2PCluster.Control;

/// <summary>
/// <c>p2p-control map move NAME --to HOSTID|vps</c>, <c>map policy NAME [--critical B] [--p2p-allowed B]
/// [--min-score N] [--max-players N]</c> and <c>map disable|enable NAME</c> over POST /maps/{name}/move, PATCH
/// /maps/{name}/policy and POST /maps/{name}/disable|enable.
/// </summary>
public static class MapCommand
{
    public static Command Create(ControlOptions options)
    {
        var map = new Command("map", "Act on one map: move it, change its policy at run time, disable or enable it.");
        map.Add(Move(options));
        map.Add(Policy(options));
        map.Add(Disable(options, "disable", "Take the map out of service: it leaves its host and players' resolves are refused until enabled."));
        map.Add(Disable(options, "enable", "Put a disabled map back in service: it is placed again."));
        return map;
    }

    private static Command Disable(ControlOptions options, string action, string description)
    {
        var name = NameArgument();
        var command = new Command(action, description) { name };
        ControlCommand.Define(command, options, (result, api, output, cancellationToken) =>
        {
            string map = RequireMapName(result.GetValue(name));
            return OperateCall.RunAsync(api, output, HttpMethod.Post, $"maps/{map}/{action}", null,
                m => OperateCall.Text(m, "name") == map, cancellationToken);
        });
        return command;
    }

    private static Command Move(ControlOptions options)
    {
        var name = NameArgument();
        var to = new Option<string>("--to") { Description = "A host id, or vps (the best VPS host)", HelpName = "hostId|vps", Required = true };
        var command = new Command("move", "Move the map to a named host, or to the best VPS host.") { name, to };
        ControlCommand.Define(command, options, (result, api, output, cancellationToken) =>
        {
            string map = RequireMapName(result.GetValue(name));
            string target = result.GetValue(to)!;
            if (!string.Equals(target, "vps", StringComparison.OrdinalIgnoreCase) && !HostIds.IsValid(target))
                throw ControlException.BadArgument("--to", $"'{target}' is not a host id or vps");
            return OperateCall.RunAsync(api, output, HttpMethod.Post, $"maps/{map}/move", new JsonObject { ["to"] = target },
                m => OperateCall.Text(m, "name") == map, cancellationToken);
        });
        return command;
    }

    private static Command Policy(ControlOptions options)
    {
        var name = NameArgument();
        var critical = new Option<bool?>("--critical") { Description = "Critical maps run on VPS hosts only", HelpName = "true|false", Arity = ArgumentArity.ExactlyOne };
        var p2p = new Option<bool?>("--p2p-allowed") { Description = "Whether volunteer PCs may host the map", HelpName = "true|false", Arity = ArgumentArity.ExactlyOne };
        var minScore = new Option<double?>("--min-score") { Description = "Lowest placement score a host needs, 0-100", HelpName = "score" };
        var maxPlayers = new Option<int?>("--max-players") { Description = "Player cap, 1-65535", HelpName = "players" };
        var command = new Command("policy", "Change the map's policy at run time (only the options given); persisted over p2p.conf's.")
        {
            name, critical, p2p, minScore, maxPlayers,
        };
        ControlCommand.Define(command, options, (result, api, output, cancellationToken) =>
        {
            string map = RequireMapName(result.GetValue(name));
            var body = new JsonObject();
            if (result.GetValue(critical) is { } c) body["critical"] = c;
            if (result.GetValue(p2p) is { } p) body["p2pAllowed"] = p;
            if (result.GetValue(minScore) is { } score)
            {
                if (score is < 0 or > 100 || double.IsNaN(score))
                    throw ControlException.BadArgument("--min-score", $"{score.ToString(CultureInfo.InvariantCulture)} is out of range: 0-100");
                body["minScore"] = score;
            }
            if (result.GetValue(maxPlayers) is { } players)
            {
                if (players is < 1 or > 65535) throw ControlException.BadArgument("--max-players", $"{players} is out of range: 1-65535");
                body["maxPlayers"] = players;
            }
            if (body.Count == 0) throw ControlException.BadArgument("--critical", "give at least one of --critical, --p2p-allowed, --min-score, --max-players");
            return OperateCall.RunAsync(api, output, HttpMethod.Patch, $"maps/{map}/policy", body, null, cancellationToken);
        });
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The map's name (1-11 characters, as rAthena's)" };

    public static string RequireMapName(string? map) =>
        MapNames.IsValid(map) ? map! : throw ControlException.BadArgument("name", $"'{map}' is not a map name (1-11 characters of A-Z a-z 0-9 _ @ . -)");
}
