using System.Text.Json;

namespace P2PCluster.Control;

/// <summary>What a restore changes: each host standing, map policy and disabled map that differs from the cluster's, and the maps the cluster does not know.</summary>
public sealed record RestorePlan(IReadOnlyList<RestoreChange> Changes, IReadOnlyList<string> UnknownMaps)
{
    /// <summary>Compares <paramref name="document"/> with <paramref name="state"/> (GET /api/v1/state).</summary>
    public static RestorePlan Make(StateDocument document, JsonElement state)
    {
        var hosts = state.GetProperty("hosts").EnumerateArray().ToDictionary(
            h => h.GetProperty("hostId").GetString()!,
            h => new HostEntry(h.GetProperty("hostId").GetString()!, h.GetProperty("approved").GetBoolean(), h.GetProperty("banned").GetBoolean()),
            StringComparer.Ordinal);
        var maps = state.GetProperty("maps").EnumerateArray().ToDictionary(
            m => m.GetProperty("name").GetString()!,
            m => StateBackup.PolicyOf(m.GetProperty("name").GetString()!, m.GetProperty("policy")),
            StringComparer.Ordinal);
        var changes = new List<RestoreChange>();
        foreach (var host in document.Hosts)
        {
            var now = hosts.GetValueOrDefault(host.HostId) ?? new HostEntry(host.HostId, false, false);
            if (now != host) changes.Add(new RestoreChange("host", host.HostId, now.Describe(), host.Describe(), host, null));
        }
        var disabled = state.GetProperty("maps").EnumerateArray()
            .Where(m => m.TryGetProperty("disabled", out var d) && d.ValueKind == JsonValueKind.True)
            .Select(m => m.GetProperty("name").GetString()!).ToHashSet(StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var policy in document.MapPolicies)
        {
            if (!maps.TryGetValue(policy.Map, out var now)) unknown.Add(policy.Map);
            else if (now != policy) changes.Add(new RestoreChange("policy", policy.Map, now.Describe(), policy.Describe(), null, policy));
        }
        foreach (string map in document.DisabledMaps ?? [])
        {
            if (!maps.ContainsKey(map)) unknown.Add(map);
            else if (!disabled.Contains(map)) changes.Add(new RestoreChange("disabled", map, "enabled", "disabled", null, null));
        }
        return new RestorePlan(changes, unknown);
    }
}
