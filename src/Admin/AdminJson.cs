using System.Text.Json;
using System.Text.Json.Serialization;

namespace P2PCluster.Admin;

/// <summary>
/// The API's JSON: web defaults (camelCase properties) and enums as the lowercase C# name ("p2p", "onmap"), the
/// contract FluxCP and the page read (docs/admin-api.md).
/// </summary>
public static class AdminJson
{
    /// <summary>Adds the lowercase enum converter to <paramref name="options"/>.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(LowerCaseNamingPolicy.Instance, allowIntegerValues: false));
    }

    /// <summary>The wire name of an enum value, as the API writes and accepts it.</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>Parses a query or body value: the lowercase name (any case), never a number; false for anything else.</summary>
    public static bool TryParseEnum<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Name(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }
        return false;
    }

    public static string Names<TEnum>() where TEnum : struct, Enum => string.Join(", ", Enum.GetValues<TEnum>().Select(Name));
}
