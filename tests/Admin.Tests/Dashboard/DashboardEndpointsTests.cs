using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace P2PCluster.Admin.Tests.Dashboard;

/// <summary>
/// The operator page's files as served from the assembly: types, caching, the redirect, 404s, no way out of the page's
/// files, and every reference inside the page resolving to an embedded file (no build step, no CDN).
/// </summary>
public sealed partial class DashboardEndpointsTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

    [Theory]
    [InlineData("/p2p/dashboard/", "text/html; charset=utf-8")]
    [InlineData("/p2p/dashboard/index.html", "text/html; charset=utf-8")]
    [InlineData("/p2p/dashboard/dashboard.css", "text/css; charset=utf-8")]
    [InlineData("/p2p/dashboard/js/main.js", "text/javascript; charset=utf-8")]
    [InlineData("/p2p/dashboard/favicon.svg", "image/svg+xml; charset=utf-8")]
    public async Task EachFileIsServedWithItsContentTypeAndRevalidationHeaders(string path, string contentType)
    {
        using var client = Client();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("connect-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 0);
    }

    [Fact]
    public async Task AnUnchangedFileRevalidatesWith304()
    {
        using var client = Client();
        using var first = await client.GetAsync("/p2p/dashboard/js/api.js");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/p2p/dashboard/js/api.js");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ThePathWithoutItsSlashRedirectsToThePage()
    {
        using var client = Client();
        using var response = await client.GetAsync("/p2p/dashboard?x=1");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/p2p/dashboard/?x=1", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/p2p/dashboard/nope.js")]
    [InlineData("/p2p/dashboard/js/")]
    [InlineData("/p2p/dashboard/JS/MAIN.JS")]
    [InlineData("/p2p/dashboard/DashboardEndpoints.cs")]
    public async Task AnUnknownFileIs404(string path)
    {
        using var client = Client();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    // Sent byte for byte (HttpClient would normalise them): whatever Kestrel and routing make of each, nothing but the
    // page's own files may come back.
    [Theory]
    [InlineData("/p2p/dashboard/../../etc/passwd")]
    [InlineData("/p2p/dashboard/..%2f..%2f..%2fetc%2fpasswd")]
    [InlineData("/p2p/dashboard/%2e%2e/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/p2p/dashboard/..\\..\\Admin.csproj")]
    [InlineData("/p2p/dashboard/js/..%5c..%5c..%5cAdmin.csproj")]
    [InlineData("/p2p/dashboard//etc/passwd")]
    [InlineData("/p2p/dashboard/%2fetc%2fpasswd")]
    public async Task NoPathLeavesThePagesFiles(string path)
    {
        (int status, string body) = await RawGetAsync(path);
        Assert.True(status is 404 or 400, $"{path}: {status}\n{body}");
        Assert.DoesNotContain("root:", body);
        Assert.DoesNotContain("<Project", body);
    }

    [Fact]
    public void EveryEmbeddedFileIsServedAndNothingElse()
    {
        Assert.Contains("index.html", DashboardEndpoints.Assets);
        Assert.Contains("js/main.js", DashboardEndpoints.Assets);
        Assert.All(DashboardEndpoints.Assets, asset => Assert.DoesNotContain("\\", asset));
        Assert.DoesNotContain(DashboardEndpoints.Assets, asset => asset.EndsWith(".cs", StringComparison.Ordinal));
    }

    // No build step: what index.html and the modules reference must be an embedded file, and nothing may come from
    // another origin (the page works offline and its CSP allows only 'self').
    [Fact]
    public async Task EveryReferenceInThePageResolvesToAnEmbeddedFileOfThisOrigin()
    {
        using var client = Client();
        var checkedRefs = new List<string>();
        foreach (string asset in DashboardEndpoints.Assets.Where(a => a.EndsWith(".html", StringComparison.Ordinal) || a.EndsWith(".js", StringComparison.Ordinal) || a.EndsWith(".css", StringComparison.Ordinal)))
        {
            string text = await client.GetStringAsync("/p2p/dashboard/" + asset);
            Assert.DoesNotMatch(ExternalUrl(), text);
            var references = asset.EndsWith(".js", StringComparison.Ordinal)
                ? ModuleImport().Matches(text).Select(m => m.Groups[1].Value)
                : asset.EndsWith(".html", StringComparison.Ordinal) ? HtmlReference().Matches(text).Select(m => m.Groups[1].Value) : [];
            foreach (string reference in references)
            {
                // Links out of the page (the API, the Orleans Dashboard) are the silo's, not files.
                if (reference.StartsWith("../../", StringComparison.Ordinal)) continue;
                var target = new Uri(new Uri(server.BaseAddress, "/p2p/dashboard/" + asset), reference);
                using var response = await client.GetAsync(target);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset} references {reference}: {(int)response.StatusCode}");
                checkedRefs.Add($"{asset} -> {reference}");
            }
        }
        Assert.Contains("index.html -> js/main.js", checkedRefs);
        Assert.Contains("js/main.js -> ./hosts.js", checkedRefs);
    }

    private async Task<(int Status, string Body)> RawGetAsync(string path)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        await using var stream = tcp.GetStream();
        byte[] request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(request);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
        int status = int.Parse(response.Split(' ', 3)[1]);
        return (status, response);
    }

    [GeneratedRegex(@"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();

    [GeneratedRegex(@"(?:import|from)\s*['""]([^'""]+)['""]")]
    private static partial Regex ModuleImport();

    [GeneratedRegex(@"(?:src|href)=""([^""#]+)""")]
    private static partial Regex HtmlReference();
}
