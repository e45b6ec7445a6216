using System.Text.Json;

namespace P2PCluster.Admin;

/// <summary>Lowercases a name: <c>P2P</c> → <c>p2p</c>, <c>OnMap</c> → <c>onmap</c> (camelCase would give <c>p2P</c>).</summary>
public sealed class LowerCaseNamingPolicy : JsonNamingPolicy
{
    public static LowerCaseNamingPolicy Instance { get; } = new();

    public override string ConvertName(string name) => name.ToLowerInvariant();
}
