using System.Net.Http;
using System.Text.Json.Nodes;

namespace P2PCluster.Control;

/// <summary>
/// <c>--restore-state FILE [--dry-run]</c>: checks the whole file first (exit 5, nothing applied), compares it with the
/// cluster's GET /state, and changes only what differs — host standings through PUT /state/hosts/{id} (hosts this
/// cluster has not seen yet included), map policies through PATCH /maps/{name}/policy, disabled maps through POST
/// /maps/{name}/disable. Hosts and maps the file does not name are left as they are (a map it does not list as disabled
/// is not enabled); so is the key set (reported when it differs). A second run finds nothing to change.
/// </summary>
public static class StateRestore
{
    public static async Task<int> RunAsync(ApiClient api, Output output, string path, bool dryRun, CancellationToken cancellationToken)
    {
        var (version, body) = StateFile.Read(path);
        var document = StateDocument.Parse(path, version, body);
        var state = await api.GetAsync("state", cancellationToken);
        var plan = RestorePlan.Make(document, state);
        if (plan.UnknownMaps.Count > 0)
            throw new ControlException(ExitCodes.Refused,
                $"{path}: map(s) {string.Join(", ", plan.UnknownMaps)} are not known to the cluster at {api.BaseUrl} (not in its p2p.conf); nothing applied");

        foreach (var change in plan.Changes)
        {
            var record = new JsonObject { ["kind"] = change.Kind, ["target"] = change.Target, ["from"] = change.From, ["to"] = change.To, ["applied"] = false };
            if (dryRun)
            {
                output.Event("change", record, $"would change {change.Kind} {change.Target}: {change.From} -> {change.To}");
                continue;
            }
            if (change.Host is { } host)
                await api.SendAsync(HttpMethod.Put, $"state/hosts/{host.HostId}", new JsonObject { ["approved"] = host.Approved, ["banned"] = host.Banned }, cancellationToken);
            else if (change.Policy is { } policy)
                await api.SendAsync(HttpMethod.Patch, $"maps/{policy.Map}/policy", new JsonObject
                {
                    ["critical"] = policy.Critical, ["p2pAllowed"] = policy.P2PAllowed, ["minScore"] = policy.MinScore, ["maxPlayers"] = policy.MaxPlayers,
                }, cancellationToken);
            else if (change.Kind == "disabled")
                await api.SendAsync(HttpMethod.Post, $"maps/{change.Target}/disable", null, cancellationToken);
            record["applied"] = true;
            output.Event("change", record, $"changed {change.Kind} {change.Target}: {change.From} -> {change.To}");
        }

        var keysHere = StateKeys.Describe(await StateKeys.ReadAsync(api, cancellationToken));
        var keysThere = StateKeys.Describe(document.Keys);
        bool keysDiffer = document.Keys is not null && !keysHere.SetEquals(keysThere);
        if (keysDiffer)
            output.Event("keys", new JsonObject { ["backup"] = string.Join(", ", keysThere), ["cluster"] = string.Join(", ", keysHere) },
                $"key set differs (not restored: p2p-keygen owns it): backup has [{string.Join(", ", keysThere)}], the cluster [{string.Join(", ", keysHere)}]");

        string summary = plan.Changes.Count == 0 ? "nothing to change: the cluster already holds this state"
            : dryRun ? $"dry run: {plan.Changes.Count} change(s) would be made; nothing applied"
            : $"restored: {plan.Changes.Count} change(s) applied";
        output.Event("restore", new JsonObject
        {
            ["file"] = path, ["changes"] = plan.Changes.Count, ["dryRun"] = dryRun, ["applied"] = dryRun ? 0 : plan.Changes.Count, ["keysDiffer"] = keysDiffer,
        }, summary);
        return ExitCodes.Ok;
    }
}
