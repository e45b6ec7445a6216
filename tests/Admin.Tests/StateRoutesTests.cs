using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace P2PCluster.Admin.Tests;

/// <summary>
/// GET /api/v1/state and PUT /api/v1/state/hosts/{hostId} (what p2p-control's backup and restore use): a host the
/// cluster has never seen can be approved and banned ahead of its first connection, is listed in the state, a repeat
/// changes nothing, and bad input names its field. A silo of its own: the hosts it adds would break the shared silo's
/// "no hosts" (NotFoundTests).
/// </summary>
public sealed class StateRoutesTests(AdminSiloFixture fixture) : IClassFixture<AdminSiloFixture>
{
    [Fact]
    public async Task AnUnseenHostIsApprovedAndBannedAheadOfItsFirstConnectionAndARepeatChangesNothing()
    {
        using var client = fixture.Silo.Client(AdminSiloFixture.OperateKey);
        string hostId = "h" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        // Not known yet: the ordinary approve route does not know it.
        using (var unknown = await client.PostAsync($"/api/v1/hosts/{hostId}/approve", null))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var first = await PutAsync(client, hostId, """{"approved":true,"banned":true}""");
        Assert.True(first.GetProperty("changed").GetBoolean(), first.ToString());
        var again = await PutAsync(client, hostId, """{"approved":true,"banned":true}""");
        Assert.False(again.GetProperty("changed").GetBoolean(), again.ToString());

        var state = await client.GetFromJsonAsync<JsonElement>("/api/v1/state");
        var entry = state.GetProperty("hosts").EnumerateArray().Single(h => h.GetProperty("hostId").GetString() == hostId);
        Assert.True(entry.GetProperty("approved").GetBoolean());
        Assert.True(entry.GetProperty("banned").GetBoolean());
        Assert.Equal(JsonValueKind.Array, state.GetProperty("maps").ValueKind); // this silo configures no maps; Control.Tests reads them

        var lifted = await PutAsync(client, hostId, """{"approved":false,"banned":false}""");
        Assert.True(lifted.GetProperty("changed").GetBoolean(), lifted.ToString());
        state = await client.GetFromJsonAsync<JsonElement>("/api/v1/state");
        Assert.DoesNotContain(state.GetProperty("hosts").EnumerateArray(), h => h.GetProperty("hostId").GetString() == hostId);
    }

    [Theory]
    [InlineData("somehost", """{"approved":true}""", "banned")]
    [InlineData("somehost", """{"approved":"yes","banned":false}""", "approved")]
    [InlineData("somehost", """{"approved":true,"banned":false,"draining":true}""", "draining")]
    [InlineData("somehost", "[]", "body")]
    [InlineData("bad%20host", """{"approved":true,"banned":false}""", "hostId")]
    public async Task BadStandingNamesTheField(string hostId, string body, string field)
    {
        using var client = fixture.Silo.Client(AdminSiloFixture.OperateKey);
        using var response = await client.PutAsync($"/api/v1/state/hosts/{hostId}", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await Problem.ReadAsync(response);
        Assert.True(problem.Status == HttpStatusCode.BadRequest, problem.Body);
        Assert.Equal(field, problem.Field);
    }

    private static async Task<JsonElement> PutAsync(HttpClient client, string hostId, string body)
    {
        using var response = await client.PutAsync($"/api/v1/state/hosts/{hostId}", new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
