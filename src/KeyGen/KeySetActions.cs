using System.Text.Json.Nodes;
using P2PCluster.Hosting;
using P2PCluster.Hosting.Keys;
using P2PCluster.Protocol;

namespace P2PCluster.KeyGen;

/// <summary>
/// <c>--rotate</c>, <c>--list</c>, <c>--retire</c>, <c>--revoke</c>: changes to the coordinator key set, made in its
/// store directly (the silos pick them up within security.key_rollover_ms / 4, at most 5 s).
/// </summary>
public sealed class KeySetActions(ICoordinatorKeyStore store, SecurityOptions security, KeyOutput output)
{
    public async Task<int> ListAsync(CancellationToken cancellationToken)
    {
        var set = await store.ReadAsync(cancellationToken);
        Print(set, DateTimeOffset.UtcNow, summary: null);
        return ExitCodes.Ok;
    }

    public Task<int> RotateAsync(CancellationToken cancellationToken)
    {
        var key = SigningIdentity.Generate();
        return ChangeAsync((set, now) => KeyRollover.Rotate(set, key, now, security.KeyRollover, security.KeyGrace), key, cancellationToken);
    }

    public Task<int> RetireAsync(string keyId, CancellationToken cancellationToken) =>
        ChangeAsync((set, now) => KeyRollover.Retire(set, keyId, now), null, cancellationToken);

    public Task<int> RevokeAsync(string keyId, CancellationToken cancellationToken)
    {
        var replacement = SigningIdentity.Generate();
        return ChangeAsync((set, now) => KeyRollover.Revoke(set, keyId, now, replacement), replacement, cancellationToken);
    }

    private async Task<int> ChangeAsync(Func<CoordinatorKeySet, DateTimeOffset, KeySetEdit> change, SigningIdentity? made, CancellationToken cancellationToken)
    {
        using (made)
        {
            var edit = await store.UpdateAsync(set =>
            {
                // A silo seeds the set from security.coordinator_key_file on its first start: rotating before that would
                // leave that key (which agents pin) out.
                if (set.Entries.Count == 0)
                    throw new KeySetException($"{store.Describe} is empty: start a silo once, which seeds it with its coordinator key");
                return change(set, DateTimeOffset.UtcNow);
            }, cancellationToken);
            Print(await store.ReadAsync(cancellationToken), DateTimeOffset.UtcNow, edit.Summary);
            return ExitCodes.Ok;
        }
    }

    private void Print(CoordinatorKeySet set, DateTimeOffset now, string? summary)
    {
        var listed = set.Listed(now).ToList();
        var keys = new JsonArray([.. listed.Select(x => (JsonNode)KeyOutput.Describe(x.Entry, x.State))]);
        var record = new JsonObject { ["store"] = store.Describe, ["keys"] = keys };
        if (summary is not null) record.Insert(0, "result", summary);
        var lines = new List<string>();
        if (summary is not null) lines.Add(summary);
        lines.Add($"{store.Describe}:");
        lines.Add($"{"KEY ID",-16}  {"STATE",-8}  {"CREATED",-24}  {"ACTIVATE",-24}  {"RETIRE",-24}  PUBLIC KEY");
        foreach (var (entry, state) in listed)
        {
            string retire = entry.RevokedAt is { } revoked ? "revoked " + KeyRollover.Text(revoked) : entry.RetireAt is { } at ? KeyRollover.Text(at) : "-";
            lines.Add($"{entry.KeyId,-16}  {state.ToString().ToLowerInvariant(),-8}  {KeyRollover.Text(entry.CreatedAt),-24}  " +
                $"{KeyRollover.Text(entry.ActivateAt),-24}  {retire,-24}  {KeyNames.PublicKeyBase64(entry.PublicKey)}");
        }
        if (listed.Count == 0) lines.Add("(empty: a silo seeds it with its coordinator key on first start)");
        output.Write(record, lines);
    }
}
