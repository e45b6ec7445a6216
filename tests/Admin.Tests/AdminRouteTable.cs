namespace P2PCluster.Admin.Tests;

/// <summary>Every route of the API as the coordination contract lists it (method, path with sample values, role).</summary>
public static class AdminRouteTable
{
    public static readonly (string Method, string Path, bool Operate)[] All =
    [
        ("GET", "/api/v1/summary", false),
        ("GET", "/api/v1/hosts", false),
        ("GET", "/api/v1/hosts/somehost", false),
        ("GET", "/api/v1/hosts/somehost/reachability", false),
        ("POST", "/api/v1/hosts/somehost/approve", true),
        ("POST", "/api/v1/hosts/somehost/unapprove", true),
        ("POST", "/api/v1/hosts/somehost/ban", true),
        ("POST", "/api/v1/hosts/somehost/unban", true),
        ("POST", "/api/v1/hosts/somehost/drain", true),
        ("POST", "/api/v1/hosts/somehost/undrain", true),
        ("GET", "/api/v1/maps", false),
        ("GET", "/api/v1/maps/prontera", false),
        ("POST", "/api/v1/maps/prontera/move", true),
        ("PATCH", "/api/v1/maps/prontera/policy", true),
        ("POST", "/api/v1/maps/prontera/disable", true),
        ("POST", "/api/v1/maps/prontera/enable", true),
        ("GET", "/api/v1/network", false),
        ("POST", "/api/v1/network/emergency-failover", true),
        ("POST", "/api/v1/network/resume", true),
        ("POST", "/api/v1/network/reset", true),
        ("GET", "/api/v1/sessions?charId=150000", false),
        ("POST", "/api/v1/sessions/150000/end", true),
        ("GET", "/api/v1/alerts", false),
        ("GET", "/api/v1/audit", false),
        ("GET", "/api/v1/state", false),
        ("PUT", "/api/v1/state/hosts/somehost", true),
        ("GET", "/api/v1/keys", false),
    ];

    public static IEnumerable<object[]> Every => All.Select(r => new object[] { r.Method, r.Path });

    public static IEnumerable<object[]> Operate => All.Where(r => r.Operate).Select(r => new object[] { r.Method, r.Path });

    public static HttpRequestMessage Request(string method, string path, string? key = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PATCH" && path.Contains("/maps/") && (path.EndsWith("/move") || path.EndsWith("/policy")))
            request.Content = new StringContent(path.EndsWith("/move") ? """{"to":"vps"}""" : """{"maxPlayers":120}""", System.Text.Encoding.UTF8, "application/json");
        if (method is "PUT" && path.Contains("/state/hosts/"))
            request.Content = new StringContent("""{"approved":false,"banned":false}""", System.Text.Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return request;
    }
}
