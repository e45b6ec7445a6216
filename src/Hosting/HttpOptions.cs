using System.ComponentModel.DataAnnotations;

namespace P2PCluster.Hosting;

/// <summary><c>http:</c> where the dashboard, the health check and the metrics listen, and whether metrics are collected.</summary>
[ConfigSection("http")]
public sealed class HttpOptions : IValidatableObject
{
    /// <summary>Semicolon-separated http://address:port URLs; empty disables HTTP.</summary>
    [ConfigKey("urls")]
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// Collect and serve metrics at /metrics and /p2p/metrics (docs/monitoring.md). False: no OpenTelemetry meter
    /// provider at all, so no instrument records anything and both paths answer 404.
    /// </summary>
    [ConfigKey("metrics")]
    public bool Metrics { get; set; } = true;

    public IReadOnlyList<string> UrlList =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (string url in UrlList)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri)
                || uri.Scheme != "http" || uri.Port is < 1 or > 65535 || uri.AbsolutePath != "/")
                yield return new ValidationResult($"'{url}' is not an http://address:port URL (terminate TLS in a reverse proxy)", [nameof(Urls)]);
            else if (uri.Host != "localhost" && !System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out _))
                yield return new ValidationResult($"'{url}': the host must be an IP address, localhost or * (not a DNS name)", [nameof(Urls)]);
        }
    }
}
