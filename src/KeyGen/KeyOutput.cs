using System.Text.Json;
using System.Text.Json.Nodes;
using P2PCluster.Hosting.Keys;
using P2PCluster.Protocol;

namespace P2PCluster.KeyGen;

/// <summary>What p2p-keygen prints: lines for people, or (<c>--json</c>) one JSON document on stdout. Errors go to stderr.</summary>
public sealed class KeyOutput(bool json)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A key's public names, as every tool shows them (<see cref="KeyNames"/>).</summary>
    public static JsonObject Describe(ReadOnlySpan<byte> publicKey) => new()
    {
        ["keyId"] = KeyNames.KeyId(publicKey),
        ["publicKey"] = KeyNames.PublicKeyBase64(publicKey),
        ["fingerprint"] = KeyNames.Fingerprint(publicKey),
    };

    /// <summary>A key set entry as <c>--list</c> and <c>GET /api/v1/keys</c> show it.</summary>
    public static JsonObject Describe(CoordinatorKeyEntry entry, CoordinatorKeyState state)
    {
        var record = Describe(entry.PublicKey);
        record["state"] = state.ToString().ToLowerInvariant();
        record["createdAt"] = KeyRollover.Text(entry.CreatedAt);
        record["activateAt"] = KeyRollover.Text(entry.ActivateAt);
        record["retireAt"] = entry.RetireAt is { } retire ? KeyRollover.Text(retire) : null;
        record["revokedAt"] = entry.RevokedAt is { } revoked ? KeyRollover.Text(revoked) : null;
        return record;
    }

    public void Write(JsonNode record, IEnumerable<string> human)
    {
        if (json) Console.Out.WriteLine(record.ToJsonString(Indented));
        else
            foreach (string line in human) Console.Out.WriteLine(line);
    }

    public static void Fail(string message) => Console.Error.WriteLine($"p2p-keygen: {message}");
}
