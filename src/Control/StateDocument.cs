using System.Text.Json;
using System.Text.Json.Serialization;
using P2PCluster.Protocol;

namespace P2PCluster.Control;

/// <summary>
/// The JSON body of a state file (format 2): host standings, map policy overrides, the key set's public part as
/// GET /api/v1/keys answered it (null where the API has no such route), and the maps an operator disabled (format 2;
/// absent from a format 1 file, which restores none). Read strictly: an unknown or missing property, a bad host id or
/// map name, or a value out of range is refused, naming it.
/// </summary>
public sealed record StateDocument(
    string Format,
    int Version,
    DateTimeOffset CreatedAt,
    string Source,
    IReadOnlyList<HostEntry> Hosts,
    IReadOnlyList<PolicyEntry> MapPolicies,
    JsonElement? Keys,
    IReadOnlyList<string>? DisabledMaps = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        WriteIndented = true,
    };

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Reads and checks <paramref name="body"/>; <see cref="ControlException"/> (exit 5) naming <paramref name="path"/> and the fault.</summary>
    public static StateDocument Parse(string path, int headerVersion, JsonElement body)
    {
        StateDocument? document;
        try
        {
            document = body.Deserialize<StateDocument>(Json);
        }
        catch (JsonException e)
        {
            throw ControlException.BadFile(path, $"the state does not have the expected fields: {e.Message}");
        }
        string? problem = document is null ? "empty state"
            : document.Format != StateFile.Magic ? $"format is '{document.Format}', not '{StateFile.Magic}'"
            : document.Version != headerVersion ? $"the body says version {document.Version}, the header {headerVersion}"
            : document.Version < 2 && document.DisabledMaps is not null ? "disabledMaps: not part of format 1"
            : document.DisabledMaps?.FirstOrDefault(m => !MapNames.IsValid(m)) is { } name ? $"disabledMaps: '{name}' is not a map name"
            : document.DisabledMaps?.GroupBy(m => m).FirstOrDefault(g => g.Count() > 1) is { } twiceOff ? $"disabledMaps: {twiceOff.Key} is listed twice"
            : document.Hosts.FirstOrDefault(h => !HostIds.IsValid(h.HostId)) is { } host ? $"hosts: '{host.HostId}' is not a host id"
            : document.Hosts.GroupBy(h => h.HostId).FirstOrDefault(g => g.Count() > 1) is { } twice ? $"hosts: {twice.Key} is listed twice"
            : document.MapPolicies.FirstOrDefault(p => p.Problem() is not null) is { } bad ? $"mapPolicies: {bad.Map}: {bad.Problem()}"
            : document.MapPolicies.GroupBy(p => p.Map).FirstOrDefault(g => g.Count() > 1) is { } again ? $"mapPolicies: {again.Key} is listed twice"
            : null;
        if (problem is not null) throw ControlException.BadFile(path, problem);
        return document!;
    }
}
