using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2PCluster.Control;

/// <summary><c>p2p-control status</c>: GET /summary in a few lines (silos, hosts, maps, players, whether P2P is paused).</summary>
public static class StatusCommand
{
    public static Command Create(ControlOptions options)
    {
        var command = new Command("status", "The cluster at a glance: silos, hosts and maps by state, players online, whether P2P placement is paused.");
        ControlCommand.Define(command, options, async (_, api, output, cancellationToken) =>
        {
            var summary = await api.GetAsync("summary", cancellationToken);
            var network = summary.GetProperty("network");
            var lines = new List<string>
            {
                $"silos: {Count(summary, "silos")}, players online: {summary.GetProperty("playersOnline")}, active alerts: {summary.GetProperty("activeAlerts")}",
                network.GetProperty("p2pPaused").GetBoolean()
                    ? $"P2P placement PAUSED since {network.GetProperty("pausedAt")} by {OperateCall.Text(network, "pausedBy")} (p2p-control --resume-p2p)"
                    : "P2P placement running",
                "hosts: " + Counts(summary.GetProperty("hosts"), h => $"{OperateCall.Text(h, "kind")} {OperateCall.Text(h, "status")}"),
                "maps: " + Counts(summary.GetProperty("maps"), m => OperateCall.Text(m, "state") ?? "?"),
            };
            output.Event("summary", JsonNode.Parse(summary.GetRawText())!.AsObject(), string.Join(Environment.NewLine, lines));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int Count(JsonElement summary, string name) => summary.GetProperty(name).GetArrayLength();

    private static string Counts(JsonElement list, Func<JsonElement, string> label) =>
        string.Join(", ", list.EnumerateArray().Where(e => e.GetProperty("count").GetInt32() > 0).Select(e => $"{label(e)} {e.GetProperty("count")}"));
}
