using System.Globalization;
using Microsoft.AspNetCore.Http;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Admin;

/// <summary>Reads route and query values, answering a problem that names the field for anything it cannot take.</summary>
public static class AdminInput
{
    public static AdminProblem? HostId(string hostId) =>
        Names.IsValidHostId(hostId) ? null
            : AdminProblem.BadRequest("hostId", $"'{hostId}' is not a host id: 1–{Names.MaxHostIdLength} characters of [A-Za-z0-9_@.-]");

    public static AdminProblem? MapName(string name) =>
        Names.IsValidMapName(name) ? null
            : AdminProblem.BadRequest("name", $"'{name}' is not a map name: 1–{Names.MaxMapNameLength} characters of [A-Za-z0-9_@.-]");

    /// <summary>An optional whole number in <paramref name="min"/>..<paramref name="max"/>; <paramref name="fallback"/> when absent.</summary>
    public static AdminProblem? Int(HttpRequest request, string field, int min, int max, int fallback, out int value)
    {
        value = fallback;
        string? text = Single(request, field, out var problem);
        if (problem is not null) return problem;
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
            return AdminProblem.BadRequest(field, $"'{text}' is not a whole number");
        if (value < min || value > max)
            return AdminProblem.BadRequest(field, $"{value} is out of range: {min}–{max}");
        return null;
    }

    /// <summary>An optional enum value by its lowercase name; null when absent.</summary>
    public static AdminProblem? Enum<TEnum>(HttpRequest request, string field, out TEnum? value) where TEnum : struct, System.Enum
    {
        value = null;
        string? text = Single(request, field, out var problem);
        if (problem is not null) return problem;
        if (text is null) return null;
        if (!AdminJson.TryParseEnum<TEnum>(text, out var parsed))
            return AdminProblem.BadRequest(field, $"'{text}' is not one of: {AdminJson.Names<TEnum>()}");
        value = parsed;
        return null;
    }

    /// <summary>The query parameter's one value; null when absent or empty; a problem when given twice.</summary>
    public static string? Single(HttpRequest request, string field, out AdminProblem? problem)
    {
        problem = null;
        if (!request.Query.TryGetValue(field, out var values)) return null;
        if (values.Count > 1)
        {
            problem = AdminProblem.BadRequest(field, "given more than once");
            return null;
        }
        string? text = values[0];
        return string.IsNullOrEmpty(text) ? null : text;
    }
}
