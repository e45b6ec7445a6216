using System.Text.Json;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Admin.Tests;

/// <summary>
/// The FluxCP module's <c>P2PAdminClient</c> (contrib/fluxcp/lib) driven by php-cli against a live <c>p2p-demo</c> silo
/// process (host agents with maps, players playing): it lists hosts, drains one (seen draining through the API from
/// here, not from the client's answer), and turns error answers into exceptions carrying the problem details.
/// </summary>
public sealed class PhpClientTests(ITestOutputHelper output)
{
    private static string Driver => Path.Combine(RepoPaths.Root, "tests", "Admin.Tests", "php", "client_check.php");

    [Fact]
    public async Task PhpClientListsHostsDrainsOneAndCarriesTheProblemDetails()
    {
        await PhpCli.RequireAsync(curl: true);
        await using var silo = await FluxDemoSilo.StartAsync(output);
        string http = silo.Http, key = silo.Key;

        using var hosts = await StepAsync("hosts", http, key, "online", "p2p");
        Assert.True(hosts.RootElement.GetProperty("total").GetInt32() > 0, hosts.RootElement.ToString());
        var online = hosts.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.All(online, h => Assert.Equal(("online", "p2p"), (h.GetProperty("status").GetString(), h.GetProperty("kind").GetString())));
        string hostId = online[0].GetProperty("hostId").GetString()!;

        using (var drain = await StepAsync("drain", http, key, hostId))
        {
            Assert.Equal(hostId, drain.RootElement.GetProperty("target").GetString());
            Assert.True(drain.RootElement.GetProperty("changed").GetBoolean(), drain.RootElement.ToString());
        }
        using (var detail = await silo.GetAsync($"/api/v1/hosts/{Uri.EscapeDataString(hostId)}"))
        {
            Assert.True(detail.RootElement.GetProperty("draining").GetBoolean(), detail.RootElement.ToString());
            Assert.Equal("draining", detail.RootElement.GetProperty("summary").GetProperty("status").GetString());
        }
        using (var again = await StepAsync("drain", http, key, hostId))
            Assert.False(again.RootElement.GetProperty("changed").GetBoolean(), "a second drain must change nothing: " + again.RootElement);

        using (var tour = await StepAsync("tour", http, key))
        {
            var t = tour.RootElement;
            Assert.Equal(1, t.GetProperty("summarySilos").GetInt32());
            Assert.True(t.GetProperty("maps").GetInt32() > 0, t.ToString());
            Assert.False(string.IsNullOrEmpty(t.GetProperty("mapName").GetString()), t.ToString());
            Assert.False(t.GetProperty("p2pPaused").GetBoolean());
            Assert.Contains(t.GetProperty("audit").EnumerateArray(),
                a => a.GetProperty("target").GetString() == hostId && a.GetProperty("action").GetString()!.Contains("drain", StringComparison.Ordinal));
            Assert.Contains(t.GetProperty("sessionsByAccount").EnumerateArray(), s => s.GetProperty("charId").GetInt32() == 150000);
            Assert.Contains(t.GetProperty("sessionsByName").EnumerateArray(), s => s.GetProperty("name").GetString() == "Alice");
        }
        using (var wrongKey = await StepAsync("problem", http, "wrong-" + Guid.NewGuid().ToString("N"), "summary"))
            AssertProblem(wrongKey.RootElement, 401, "Unauthorized", field: null);
        using (var unknown = await StepAsync("problem", http, key, "host-unknown"))
            AssertProblem(unknown.RootElement, 404, "NotFound", field: null);
        using (var badLimit = await StepAsync("problem", http, key, "hosts-bad-limit"))
            AssertProblem(badLimit.RootElement, 400, "InvalidArgument", field: "limit");
    }

    [Fact]
    public async Task PhpClientThrowsTheTransportExceptionWhenNoSiloAnswers()
    {
        await PhpCli.RequireAsync(curl: true);
        using var result = await StepAsync("transport", $"http://127.0.0.1:{FreePort.Next()}", "any-key");
        Assert.Equal("P2PTransportException", result.RootElement.GetProperty("class").GetString());
        Assert.Equal(7, result.RootElement.GetProperty("curlErrno").GetInt32()); // CURLE_COULDNT_CONNECT
    }

    private static void AssertProblem(JsonElement problem, int status, string code, string? field)
    {
        Assert.True(problem.GetProperty("class").GetString() == "P2PAdminException", $"no P2PAdminException: {problem}");
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("type").GetString()), $"problem type empty: {problem}");
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), $"problem title empty: {problem}");
        Assert.Equal(code, problem.GetProperty("code").GetString());
        if (field is not null) Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    private async Task<JsonDocument> StepAsync(params string[] arguments)
    {
        var run = await PhpCli.RunAsync([Driver, .. arguments]);
        output.WriteLine($"php client_check.php {arguments[0]}: {run}");
        Assert.True(run.ExitCode == 0, $"client_check.php {arguments[0]}: {run}");
        return JsonDocument.Parse(run.StandardOutput);
    }
}
