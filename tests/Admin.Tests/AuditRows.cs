using System.Net;
using System.Text.Json;

namespace P2PCluster.Admin.Tests;

/// <summary>GET /api/v1/audit read back.</summary>
public sealed record AuditRows(DateTimeOffset At, string KeyName, string Action, string Target, string Result)
{
    public static async Task<IReadOnlyList<AuditRows>> GetAsync(HttpClient client, int limit = 100)
    {
        using var response = await client.GetAsync($"/api/v1/audit?limit={limit}");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("items").EnumerateArray().Select(e => new AuditRows(
            e.GetProperty("at").GetDateTimeOffset(), e.GetProperty("keyName").GetString()!, e.GetProperty("action").GetString()!,
            e.GetProperty("target").GetString()!, e.GetProperty("result").GetString()!)).ToList();
    }
}
