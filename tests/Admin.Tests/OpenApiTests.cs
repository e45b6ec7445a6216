using System.Net;
using System.Text.Json;
using P2PCluster.Protocol;

namespace P2PCluster.Admin.Tests;

/// <summary>The OpenAPI document is served without a key and describes every route with the role it needs.</summary>
[Collection(AdminSiloCollection.Name)]
public sealed class OpenApiTests(AdminSiloFixture fixture)
{
    [Fact]
    public async Task DocumentListsEveryRouteWithItsRole()
    {
        using var client = fixture.Silo.Client();
        using var response = await client.GetAsync("/api/v1/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString());
        Assert.Equal("http", root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("type").GetString());
        var paths = root.GetProperty("paths");

        foreach (var (method, path, operate) in AdminRouteTable.All)
        {
            string template = path.Split('?')[0].Replace("/somehost", "/{hostId}").Replace("/prontera", "/{name}").Replace("/150000", "/{charId}");
            Assert.True(paths.TryGetProperty(template, out var item), $"{template} is not in the document");
            Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {template} is not in the document");
            Assert.Equal(operate ? "operate" : "read", operation.GetProperty("x-p2p-role").GetString());
            Assert.Equal(JsonValueKind.Array, operation.GetProperty("security").ValueKind);
            Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{method} {template} documents no 401");
            if (operate) Assert.True(operation.GetProperty("responses").TryGetProperty("403", out _), $"{method} {template} documents no 403");
        }
        foreach (string template in (string[])["/api/v1/maps/{name}/move", "/api/v1/maps/{name}/policy", "/api/v1/state/hosts/{hostId}"])
        {
            var operation = paths.GetProperty(template).EnumerateObject().Single().Value;
            Assert.True(operation.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _), $"{template} documents no JSON body");
        }
        Assert.Equal(AdminRouteTable.All.Length, paths.EnumerateObject().Sum(p => p.Value.EnumerateObject().Count()));
    }

    [Fact]
    public async Task EnumsAreLowercaseStringsInTheSchema()
    {
        using var client = fixture.Silo.Client();
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/v1/openapi.json"));
        var schemas = json.RootElement.GetProperty("components").GetProperty("schemas");
        Assert.Equal(["p2p", "vps"], schemas.GetProperty("HostKind").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("onmap", schemas.GetProperty("SessionState").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }
}
