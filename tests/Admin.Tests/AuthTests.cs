using System.Net;

namespace P2PCluster.Admin.Tests;

/// <summary>Every route refuses a missing or wrong key (401), and every operate route a read key (403), as problems.</summary>
[Collection(AdminSiloCollection.Name)]
public sealed class AuthTests(AdminSiloFixture fixture)
{
    [Theory]
    [MemberData(nameof(AdminRouteTable.Every), MemberType = typeof(AdminRouteTable))]
    public async Task NoKeyIsUnauthorized(string method, string path)
    {
        using var client = fixture.Silo.Client();
        using var response = await client.SendAsync(AdminRouteTable.Request(method, path));
        var problem = await Problem.ReadAsync(response);
        Assert.Equal(HttpStatusCode.Unauthorized, problem.Status);
        Assert.Equal("Authorization", problem.Field);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [MemberData(nameof(AdminRouteTable.Every), MemberType = typeof(AdminRouteTable))]
    public async Task WrongKeyIsUnauthorized(string method, string path)
    {
        using var client = fixture.Silo.Client();
        using var response = await client.SendAsync(AdminRouteTable.Request(method, path, "not-a-key-anyone-configured"));
        var problem = await Problem.ReadAsync(response);
        Assert.Equal(HttpStatusCode.Unauthorized, problem.Status);
        Assert.Contains("wrong API key", problem.Detail);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("operate-key-for-the-admin-tests-9876543210")]
    public async Task MalformedAuthorizationIsUnauthorized(string header)
    {
        using var client = fixture.Silo.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit");
        request.Headers.TryAddWithoutValidation("Authorization", header);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Problem.ReadAsync(response)).Status);
    }

    [Theory]
    [MemberData(nameof(AdminRouteTable.Operate), MemberType = typeof(AdminRouteTable))]
    public async Task ReadKeyOnOperateRouteIsForbiddenAndAudited(string method, string path)
    {
        using var client = fixture.Silo.Client();
        using var response = await client.SendAsync(AdminRouteTable.Request(method, path, AdminSiloFixture.ReadKey));
        var problem = await Problem.ReadAsync(response);
        Assert.Equal(HttpStatusCode.Forbidden, problem.Status);
        Assert.Contains("'reader'", problem.Detail);

        using var admin = fixture.Silo.Client(AdminSiloFixture.ReadKey);
        var audit = await AuditRows.GetAsync(admin, 1000);
        string action = path.Contains("/state/hosts/") ? "restore-host" : path.Split('/')[^1] switch { "end" => "end-session", var last => last };
        Assert.Contains(audit, row => row.KeyName == "reader" && row.Action == action && row.Result == "refused 403 Forbidden");
    }

    [Theory]
    [MemberData(nameof(AdminRouteTable.Every), MemberType = typeof(AdminRouteTable))]
    public async Task OperateKeyPassesEveryRoute(string method, string path)
    {
        using var client = fixture.Silo.Client();
        using var response = await client.SendAsync(AdminRouteTable.Request(method, path, AdminSiloFixture.OperateKey));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.InternalServerError),
            $"{method} {path}: {(int)response.StatusCode} {body}");
        Assert.DoesNotContain("   at ", body); // never a stack trace
    }

    [Fact]
    public async Task ReadKeyReadsTheAudit()
    {
        using var client = fixture.Silo.Client(AdminSiloFixture.ReadKey);
        using var response = await client.GetAsync("/api/v1/audit?limit=5");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }
}
