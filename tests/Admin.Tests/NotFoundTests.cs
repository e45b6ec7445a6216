using System.Net;
using System.Net.Http.Json;

namespace P2PCluster.Admin.Tests;

/// <summary>An unknown host, map or character answers 404 problem+json naming the field (this silo has no maps and no hosts).</summary>
[Collection(AdminSiloCollection.Name)]
public sealed class NotFoundTests(AdminSiloFixture fixture)
{
    [Theory]
    [InlineData("GET", "/api/v1/hosts/nohost", null, "hostId")]
    [InlineData("GET", "/api/v1/hosts/nohost/reachability", null, "hostId")]
    [InlineData("GET", "/api/v1/maps/nomap", null, "name")]
    [InlineData("POST", "/api/v1/hosts/nohost/drain", null, "hostId")]
    [InlineData("POST", "/api/v1/hosts/nohost/ban", null, "hostId")]
    [InlineData("POST", "/api/v1/maps/nomap/move", """{"to":"vps"}""", "name")]
    [InlineData("PATCH", "/api/v1/maps/nomap/policy", """{"maxPlayers":10}""", "name")]
    [InlineData("POST", "/api/v1/maps/nomap/disable", null, "name")]
    [InlineData("POST", "/api/v1/maps/nomap/enable", null, "name")]
    [InlineData("POST", "/api/v1/sessions/99999/end", null, "charId")]
    public async Task UnknownTargetIsNotFound(string method, string path, string? body, string field)
    {
        using var client = fixture.Silo.Client(AdminSiloFixture.OperateKey);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var problem = await Problem.ReadAsync(response);
        Assert.True(problem.Status == HttpStatusCode.NotFound, problem.Body);
        Assert.Equal(field, problem.Field);
        Assert.Equal("NotFound", problem.Code);
    }

    [Fact]
    public async Task UnknownCharacterHasNoSessions()
    {
        using var client = fixture.Silo.Client(AdminSiloFixture.ReadKey);
        var answer = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/sessions?charId=99999");
        Assert.Equal(0, answer.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task EmptyClusterAnswersEmptyLists()
    {
        using var client = fixture.Silo.Client(AdminSiloFixture.ReadKey);
        var hosts = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/hosts");
        Assert.Equal(0, hosts.GetProperty("total").GetInt32());
        Assert.Equal(0, hosts.GetProperty("offset").GetInt32());
        Assert.Equal(0, hosts.GetProperty("items").GetArrayLength());
        var maps = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/maps");
        Assert.Equal(0, maps.GetProperty("items").GetArrayLength());
        var network = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/network");
        Assert.False(network.GetProperty("p2pPaused").GetBoolean());
        foreach (string state in (string[])["active", "history"])
        {
            var alerts = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/alerts?state={state}&limit=5");
            Assert.Equal(System.Text.Json.JsonValueKind.Array, alerts.GetProperty("items").ValueKind);
        }
    }
}
