using System.Globalization;
using System.Text.Json.Serialization;
using P2PCluster.Protocol;

namespace P2PCluster.Control;

/// <summary>A map's run-time policy override in a state file, with the ranges PATCH /maps/{name}/policy takes.</summary>
public sealed record PolicyEntry(
    string Map,
    bool Critical,
    [property: JsonPropertyName("p2pAllowed")] bool P2PAllowed,
    double MinScore,
    int MaxPlayers)
{
    public string? Problem() =>
        !MapNames.IsValid(Map) ? "not a map name"
        : MinScore is < 0 or > 100 || double.IsNaN(MinScore) ? "minScore must be 0-100"
        : MaxPlayers is < 1 or > 65535 ? "maxPlayers must be 1-65535"
        : null;

    public string Describe() =>
        $"critical={Lower(Critical)} p2pAllowed={Lower(P2PAllowed)} minScore={MinScore.ToString(CultureInfo.InvariantCulture)} maxPlayers={MaxPlayers}";

    private static string Lower(bool value) => value ? "true" : "false";
}
