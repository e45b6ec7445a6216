using System.Net;
using P2PCluster.Hosting;

namespace P2PCluster.Admin;

/// <summary>
/// Keys must not cross a network in clear: the API on a non-loopback http:// URL stops start-up unless
/// <c>admin.allow_insecure_http: true</c> (then a loud warning). https:// URLs (http.certificate_path) and loopback are fine.
/// </summary>
public static class AdminTransport
{
    /// <summary>The plain-HTTP, non-loopback URLs the API would serve on (allowed only with admin.allow_insecure_http); throws <see cref="ConfigurationException"/> otherwise.</summary>
    public static IReadOnlyList<string> Check(CoordinatorSettings settings)
    {
        var insecure = settings.Http.UrlList.Where(IsInsecure).ToList();
        if (insecure.Count > 0 && !settings.Admin.AllowInsecureHttp)
        {
            throw new ConfigurationException([
                $"admin.allow_insecure_http: the admin API would take API keys over plain HTTP on {string.Join(", ", insecure)} (not loopback). " +
                "Serve https:// URLs with http.certificate_path (and http.certificate_password), keep http.urls on 127.0.0.1, " +
                "or set admin.allow_insecure_http: true (development only)"]);
        }
        return insecure;
    }

    private static bool IsInsecure(string url)
    {
        var uri = new Uri(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"));
        if (uri.Scheme != "http") return false;
        if (uri.Host == "localhost") return false;
        return !IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) || !IPAddress.IsLoopback(address);
    }
}
