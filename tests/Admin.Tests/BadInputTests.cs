using System.Net;
using System.Text;

namespace P2PCluster.Admin.Tests;

/// <summary>Bad input answers 400 problem+json naming the offending field, before the cluster is asked anything.</summary>
[Collection(AdminSiloCollection.Name)]
public sealed class BadInputTests(AdminSiloFixture fixture)
{
    [Theory]
    [InlineData("/api/v1/hosts?status=sleeping", "status")]
    [InlineData("/api/v1/hosts?status=1", "status")]
    [InlineData("/api/v1/hosts?kind=cloud", "kind")]
    [InlineData("/api/v1/hosts?limit=-1", "limit")]
    [InlineData("/api/v1/hosts?limit=0", "limit")]
    [InlineData("/api/v1/hosts?limit=501", "limit")]
    [InlineData("/api/v1/hosts?limit=ten", "limit")]
    [InlineData("/api/v1/hosts?offset=-5", "offset")]
    [InlineData("/api/v1/hosts?limit=5&limit=6", "limit")]
    [InlineData("/api/v1/hosts/bad%20host", "hostId")]
    [InlineData("/api/v1/hosts/bad%20host/reachability", "hostId")]
    [InlineData("/api/v1/hosts/somehost/reachability?timeoutMs=99", "timeoutMs")]
    [InlineData("/api/v1/hosts/somehost/reachability?timeoutMs=4001", "timeoutMs")]
    [InlineData("/api/v1/hosts/somehost/reachability?timeoutMs=soon", "timeoutMs")]
    [InlineData("/api/v1/maps/this_name_is_far_too_long", "name")]
    [InlineData("/api/v1/maps/pr%3Bontera", "name")]
    [InlineData("/api/v1/sessions", "accountId")]
    [InlineData("/api/v1/sessions?charId=abc", "charId")]
    [InlineData("/api/v1/sessions?accountId=-3", "accountId")]
    [InlineData("/api/v1/sessions?accountId=2000000&charId=150000", "charId")]
    [InlineData("/api/v1/alerts?state=sleeping", "state")]
    [InlineData("/api/v1/alerts?limit=0", "limit")]
    [InlineData("/api/v1/alerts?limit=1001", "limit")]
    [InlineData("/api/v1/audit?limit=-1", "limit")]
    public async Task BadQueryOrRouteValueNamesTheField(string path, string field)
    {
        using var client = fixture.Silo.Client(AdminSiloFixture.ReadKey);
        using var response = await client.GetAsync(path);
        var problem = await Problem.ReadAsync(response);
        Assert.True(problem.Status == HttpStatusCode.BadRequest, problem.Body);
        Assert.Equal(field, problem.Field);
        Assert.Equal("InvalidArgument", problem.Code);
    }

    [Theory]
    [InlineData("POST", "/api/v1/hosts/bad%20host/drain", null, "hostId")]
    [InlineData("POST", "/api/v1/sessions/abc/end", null, "charId")]
    [InlineData("POST", "/api/v1/sessions/-1/end", null, "charId")]
    [InlineData("POST", "/api/v1/maps/prontera/move", "", "body")]
    [InlineData("POST", "/api/v1/maps/prontera/move", "{not json", "body")]
    [InlineData("POST", "/api/v1/maps/prontera/move", "[]", "body")]
    [InlineData("POST", "/api/v1/maps/prontera/move", "{}", "to")]
    [InlineData("POST", "/api/v1/maps/prontera/move", """{"to": 42}""", "to")]
    [InlineData("POST", "/api/v1/maps/prontera/move", """{"to": "no such/host"}""", "to")]
    [InlineData("POST", "/api/v1/maps/prontera/move", """{"to": "vps", "when": "now"}""", "when")]
    [InlineData("POST", "/api/v1/maps/this_name_is_far_too_long/move", """{"to": "vps"}""", "name")]
    [InlineData("PATCH", "/api/v1/maps/prontera/policy", "{}", "body")]
    [InlineData("PATCH", "/api/v1/maps/prontera/policy", """{"minScore": 200}""", "minScore")]
    [InlineData("PATCH", "/api/v1/maps/prontera/policy", """{"minScore": -1}""", "minScore")]
    [InlineData("PATCH", "/api/v1/maps/prontera/policy", """{"maxPlayers": "many"}""", "maxPlayers")]
    [InlineData("PATCH", "/api/v1/maps/prontera/policy", """{"maxPlayers": 0}""", "maxPlayers")]
    [InlineData("PATCH", "/api/v1/maps/prontera/policy", """{"critical": "yes"}""", "critical")]
    [InlineData("PATCH", "/api/v1/maps/prontera/policy", """{"p2pAllowed": 1}""", "p2pAllowed")]
    [InlineData("PATCH", "/api/v1/maps/prontera/policy", """{"colour": "red"}""", "colour")]
    public async Task BadOperateInputNamesTheFieldAndIsAudited(string method, string path, string? body, string field)
    {
        using var client = fixture.Silo.Client(AdminSiloFixture.OperateKey);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var problem = await Problem.ReadAsync(response);
        Assert.True(problem.Status == HttpStatusCode.BadRequest, problem.Body);
        Assert.Equal(field, problem.Field);

        var audit = await AuditRows.GetAsync(client, 1000);
        Assert.Contains(audit, row => row.KeyName == "operator" && row.Result == "refused 400 InvalidArgument");
    }

    /// <summary>curl -d sends application/x-www-form-urlencoded: the body is read as JSON all the same, and nothing answers an empty 415.</summary>
    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain")]
    public async Task JsonBodyIsReadWhateverItsContentType(string contentType)
    {
        using var client = fixture.Silo.Client(AdminSiloFixture.OperateKey);
        using var content = new StringContent("""{"to": "vps"}""");
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var response = await client.PostAsync("/api/v1/maps/nosuchmap/move", content);
        var problem = await Problem.ReadAsync(response);
        Assert.True(problem.Status == HttpStatusCode.NotFound, problem.Body); // this silo has no maps
        Assert.Equal("name", problem.Field);
    }

    [Theory]
    [InlineData("GET", "/api/v1/nothing")]
    [InlineData("GET", "/api/v1/hosts/somehost/drain")]
    [InlineData("DELETE", "/api/v1/maps/prontera")]
    public async Task UnknownRouteIsANotFoundProblem(string method, string path)
    {
        using var client = fixture.Silo.Client();
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var problem = await Problem.ReadAsync(response);
        Assert.Equal(HttpStatusCode.NotFound, problem.Status);
        Assert.Equal("path", problem.Field);
    }

    [Fact]
    public async Task OversizeBodyIsRefused()
    {
        using var client = fixture.Silo.Client(AdminSiloFixture.OperateKey);
        string body = """{"to": "vps", "x": """ + "\"" + new string('a', 10_000) + "\"}";
        using var response = await client.PostAsync("/api/v1/maps/prontera/move", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await Problem.ReadAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Equal("body", problem.Field);
    }
}
