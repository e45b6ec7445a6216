using System.Text.Json;

namespace P2PCluster.Control;

/// <summary>
/// The key set's public part (GET /api/v1/keys: keyId, publicKey, state, dates) where the cluster serves it. A backup
/// keeps it so an operator can see, after a restore, which keys agents should trust; restoring never changes the key
/// set (p2p-keygen owns it), it only reports the difference.
/// </summary>
public static class StateKeys
{
    /// <summary>The <c>items</c> array, or null when the API has no such route (404 naming <c>path</c>).</summary>
    public static async Task<JsonElement?> ReadAsync(ApiClient api, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await api.GetAsync("keys", cancellationToken);
            return answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("items", out var items) ? items.Clone() : answer.Clone();
        }
        catch (ControlException e) when (e.Problem is { Status: 404, Field: "path" })
        {
            return null;
        }
    }

    /// <summary>Key ids with their state, for comparing a backup's key set with a cluster's.</summary>
    public static SortedSet<string> Describe(JsonElement? keys)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        if (keys is not { ValueKind: JsonValueKind.Array } array) return set;
        foreach (var key in array.EnumerateArray())
            set.Add($"{OperateCall.Text(key, "keyId") ?? "?"} {OperateCall.Text(key, "state") ?? "?"}");
        return set;
    }
}
