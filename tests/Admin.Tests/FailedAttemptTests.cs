using System.Net;

namespace P2PCluster.Admin.Tests;

/// <summary>Past admin.max_failed_attempts wrong keys a minute, an address is answered 429 with Retry-After, right key or not.</summary>
public sealed class FailedAttemptTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-admin-429-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task RepeatedWrongKeysAreAnsweredTooManyRequests()
    {
        const string key = "the-only-right-key-for-this-test-0000";
        var env = AdminSilo.Environment(_dir.FullName);
        env["P2P_admin__api_keys__0__name"] = "ops";
        env["P2P_admin__api_keys__0__role"] = "operate";
        env["P2P_admin__api_keys__0__sha256"] = AdminSilo.Sha256Hex(key);
        env["P2P_admin__max_failed_attempts"] = "3";
        await using var silo = await AdminSilo.StartAsync(env);

        using (var right = silo.Client(key))
            Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("/api/v1/audit")).StatusCode);
        using var wrong = silo.Client("guess");
        for (int i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await Problem.ReadAsync(await wrong.GetAsync("/api/v1/summary"))).Status);

        using var blocked = await wrong.GetAsync("/api/v1/summary");
        var problem = await Problem.ReadAsync(blocked);
        Assert.Equal(HttpStatusCode.TooManyRequests, problem.Status);
        Assert.Equal("TooManyFailedAttempts", problem.Code);
        var retryAfter = blocked.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);

        // The right key from the same address waits too: guessing cannot continue by interleaving it.
        using var right2 = silo.Client(key);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await right2.GetAsync("/api/v1/audit")).StatusCode);
        // A missing key is no guess and is not counted, but is refused all the same.
        using var none = silo.Client();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await none.GetAsync("/api/v1/audit")).StatusCode);
        // The OpenAPI document needs no key and stays served.
        Assert.Equal(HttpStatusCode.OK, (await none.GetAsync("/api/v1/openapi.json")).StatusCode);
    }
}
