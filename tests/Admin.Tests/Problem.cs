using System.Net;
using System.Text.Json;

namespace P2PCluster.Admin.Tests;

/// <summary>An RFC 7807 answer read back, checked to be application/problem+json with the fields the contract names.</summary>
public sealed record Problem(HttpStatusCode Status, string Type, string Title, string Detail, string? Field, string? Code, string Body)
{
    public static async Task<Problem> ReadAsync(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{(int)response.StatusCode}: expected application/problem+json, got {response.Content.Headers.ContentType}: {body}");
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal((int)response.StatusCode, root.GetProperty("status").GetInt32());
        return new Problem(response.StatusCode, root.GetProperty("type").GetString()!, root.GetProperty("title").GetString()!,
            root.GetProperty("detail").GetString()!,
            root.TryGetProperty("field", out var field) ? field.GetString() : null,
            root.TryGetProperty("code", out var code) ? code.GetString() : null, body);
    }
}
