using System.ComponentModel.DataAnnotations;

namespace P2PCluster.Hosting;

/// <summary><c>http:</c> where the dashboard (and later metrics and the admin API) listen.</summary>
[ConfigSection("http")]
public sealed class HttpOptions : IValidatableObject
{
    /// <summary>Semicolon-separated absolute http(s) URLs; empty disables HTTP.</summary>
    [ConfigKey("urls")]
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    public IReadOnlyList<string> UrlList =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (string url in UrlList)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https") || uri.Port is < 0 or > 65535)
                yield return new ValidationResult($"'{url}' is not an absolute http:// or https:// URL", [nameof(Urls)]);
        }
    }
}
