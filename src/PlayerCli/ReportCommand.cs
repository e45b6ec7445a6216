using System.CommandLine;
using System.Text.Json.Nodes;
using P2PCluster.Protocol;

namespace P2PCluster.PlayerCli;

/// <summary>
/// <c>p2p-client report</c>: log in, resolve the character's map, and report its host unreachable (REPORT_UNREACHABLE);
/// prints the route the coordinator answers. <c>--latency</c> first sends measured round trips (LATENCY_REPORT).
/// </summary>
public static class ReportCommand
{
    public static Command Create(ClientOptions options)
    {
        var latency = new Option<IReadOnlyList<HostLatency>?>("--latency")
        {
            Description = $"Send these round trips first (LATENCY_REPORT; placement prefers nearby hosts): up to {LatencyReportPacket.MaxHosts} " +
                "host ids with milliseconds (0-65535), e.g. h68894d58f18f2c34d49e=25,h0123456789abcdef0123=80",
            HelpName = "hostid=ms[,...]",
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = r =>
            {
                if (LatencyList.TryParse(r.Tokens.Count == 1 ? r.Tokens[0].Value : "", out var hosts, out string error)) return hosts;
                r.AddError($"--latency: {error}");
                return null;
            },
        };
        var command = new Command("report",
            "Log in, resolve the character's map, and report the host the route names as unreachable, as a game client does when it " +
            "cannot enter. Prints the route the coordinator answers: the same host while it still serves the map (the report is " +
            "counted; enough players' reports make the host suspect), or the map's new host once it has moved. With --json the " +
            "new route includes its ticket.")
        {
            latency,
        };
        return ClientCommand.Define(command, options, withCharacter: true, async (result, arguments, output, cancellationToken) =>
        {
            await using var session = await PlayerSession.OpenAsync(arguments, output, cancellationToken);
            var character = CharacterChoice.Choose(session.Login.Characters, arguments.Character, arguments.User);
            if (result.GetValue(latency) is { } hosts)
            {
                await session.ReportLatencyAsync(hosts, cancellationToken);
                var sent = new JsonArray([.. hosts.Select(h => new JsonObject { ["host_id"] = h.HostId, ["rtt_ms"] = h.RoundTripMs })]);
                output.Event("latency", new JsonObject { ["hosts"] = sent },
                    $"reported round trips: {string.Join(", ", hosts.Select(h => $"{h.HostId} {h.RoundTripMs} ms"))}");
            }
            var route = (await session.ResolveAsync(character, arguments.Map ?? character.LastMap, cancellationToken)).Info;
            output.Event("route", RouteReport.Route(route, character), RouteReport.DescribeRoute(route, character));

            var next = (await session.ReportUnreachableAsync(character, route, cancellationToken)).Info;
            bool sameHost = next.HostId == route.HostId;
            var record = RouteReport.Route(next, character);
            record["from_host_id"] = route.HostId;
            record["from_epoch"] = route.Epoch;
            record["same_host"] = sameHost;
            record["ticket"] = Convert.ToBase64String(next.Ticket);
            output.Event("rerouted", record, RouteReport.DescribeRoute(next, character, "rerouted") + (sameHost
                ? "; the same host: the coordinator still counts it as serving the map"
                : $"; was host {route.HostId}, epoch {route.Epoch}"));
            return ExitCodes.Ok;
        });
    }
}
