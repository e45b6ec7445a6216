using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2PCluster.Control;

/// <summary>
/// Runs one operate route and prints its <c>AdminResult</c>. When the action moves maps, the maps it will move are
/// read first and watched while the call runs (GET /maps each half second), so the operator sees "maps moved n/N"
/// rather than a silent wait; a map counts as moved once its host or epoch differs from before.
/// </summary>
public static class OperateCall
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <param name="moves">Which maps the action will move (GET /maps' items); null when it moves none.</param>
    public static async Task<int> RunAsync(ApiClient api, Output output, HttpMethod method, string path, JsonObject? body,
        Func<JsonElement, bool>? moves, CancellationToken cancellationToken)
    {
        Dictionary<string, (string? Host, long Epoch)>? before = null;
        if (moves is not null)
            before = Placements(await api.GetAsync("maps", cancellationToken), moves);

        var call = api.SendAsync(method, path, body, cancellationToken);
        if (before is { Count: > 0 })
        {
            int reported = 0;
            output.Progress(0, before.Count, "maps moved");
            // Bounded by the call: it ends with an answer, an error or the client's timeout.
            while (await Task.WhenAny(call, Task.Delay(PollInterval, cancellationToken)) != call)
            {
                int moved;
                try
                {
                    moved = Moved(before, await api.GetAsync("maps", cancellationToken));
                }
                catch (ControlException)
                {
                    continue; // a read that fails mid-action only costs a progress line; the action's answer decides
                }
                if (moved != reported) output.Progress(reported = moved, before.Count, "maps moved");
            }
        }
        var result = await call;
        Print(output, result);
        if (before is { Count: > 0 })
        {
            int moved = result.TryGetProperty("moved", out var list) && list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 0;
            output.Progress(Math.Min(moved, before.Count), before.Count, "maps moved");
        }
        return ExitCodes.Ok;
    }

    /// <summary>Prints an AdminResult: its message and each map moved.</summary>
    public static void Print(Output output, JsonElement result)
    {
        var lines = new List<string> { Text(result, "message") ?? result.ToString() };
        if (result.TryGetProperty("moved", out var moved) && moved.ValueKind == JsonValueKind.Array)
            foreach (var m in moved.EnumerateArray())
                lines.Add($"  {Text(m, "map")}: {Text(m, "fromHost") ?? "(none)"} -> {Text(m, "toHost") ?? "(none)"} ({Text(m, "toKind") ?? "?"}, epoch {m.GetProperty("epoch")})");
        output.Event("result", JsonNode.Parse(result.GetRawText())!.AsObject(), string.Join(Environment.NewLine, lines));
    }

    private static Dictionary<string, (string? Host, long Epoch)> Placements(JsonElement maps, Func<JsonElement, bool> filter)
    {
        var placements = new Dictionary<string, (string?, long)>(StringComparer.Ordinal);
        foreach (var map in Items(maps))
            if (filter(map)) placements[Text(map, "name")!] = (Text(map, "hostId"), Epoch(map));
        return placements;
    }

    private static int Moved(Dictionary<string, (string? Host, long Epoch)> before, JsonElement maps)
    {
        int moved = 0;
        foreach (var map in Items(maps))
            if (Text(map, "name") is { } name && before.TryGetValue(name, out var was) && (Text(map, "hostId") != was.Host || Epoch(map) != was.Epoch))
                moved++;
        return moved;
    }

    public static IEnumerable<JsonElement> Items(JsonElement list) =>
        list.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : [];

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Epoch(JsonElement map) =>
        map.TryGetProperty("epoch", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt64() : 0;
}
