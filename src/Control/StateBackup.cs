using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2PCluster.Control;

/// <summary>
/// <c>--backup-state FILE</c>: reads GET /state (host approvals and bans, map policies, disabled maps) and, where the API has it,
/// GET /keys (the key set's public part), and writes them as a <see cref="StateFile"/>. Map policies are saved only
/// where they are run-time overrides: p2p.conf holds the rest.
/// </summary>
public static class StateBackup
{
    public static async Task<int> RunAsync(ApiClient api, Output output, string path, CancellationToken cancellationToken)
    {
        var state = await api.GetAsync("state", cancellationToken);
        var keys = await StateKeys.ReadAsync(api, cancellationToken);
        var hosts = state.GetProperty("hosts").EnumerateArray()
            .Select(h => new HostEntry(h.GetProperty("hostId").GetString()!, h.GetProperty("approved").GetBoolean(), h.GetProperty("banned").GetBoolean()))
            .ToList();
        var policies = state.GetProperty("maps").EnumerateArray()
            .Where(m => m.GetProperty("overridden").GetBoolean())
            .Select(m => PolicyOf(m.GetProperty("name").GetString()!, m.GetProperty("policy")))
            .ToList();
        // An API without the field (before map disable existed) has no disabled map.
        var disabled = state.GetProperty("maps").EnumerateArray()
            .Where(m => m.TryGetProperty("disabled", out var d) && d.ValueKind == JsonValueKind.True)
            .Select(m => m.GetProperty("name").GetString()!)
            .ToList();
        var document = new StateDocument(StateFile.Magic, StateFile.Version, DateTimeOffset.UtcNow, api.BaseUrl.ToString(), hosts, policies, keys, disabled);
        StateFile.Write(path, document.ToBytes());
        int keyCount = keys is { ValueKind: JsonValueKind.Array } k ? k.GetArrayLength() : 0;
        output.Event("backup", new JsonObject
        {
            ["file"] = path,
            ["hosts"] = hosts.Count,
            ["mapPolicies"] = policies.Count,
            ["disabledMaps"] = disabled.Count,
            ["keys"] = keys is null ? null : keyCount,
        }, $"saved {hosts.Count} host standing(s), {policies.Count} map policy override(s), {disabled.Count} disabled map(s) and " +
            (keys is null ? "no key set (the API has no GET /api/v1/keys)" : $"{keyCount} public key(s)") + $" to {path}");
        return ExitCodes.Ok;
    }

    /// <summary>A map's policy as GET /state answers it (camelCase).</summary>
    public static PolicyEntry PolicyOf(string map, JsonElement policy) => new(map,
        policy.GetProperty("critical").GetBoolean(), policy.GetProperty("p2pAllowed").GetBoolean(),
        policy.GetProperty("minScore").GetDouble(), policy.GetProperty("maxPlayers").GetInt32());
}
