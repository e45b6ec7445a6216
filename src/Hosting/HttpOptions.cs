using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography.X509Certificates;

namespace P2PCluster.Hosting;

/// <summary>
/// <c>http:</c> where the dashboard, the admin API, the health check and the metrics listen, whether metrics are
/// collected, and the certificate of https:// URLs.
/// </summary>
[ConfigSection("http")]
public sealed class HttpOptions : IValidatableObject
{
    /// <summary>Semicolon-separated http:// or https://address:port URLs (https needs <see cref="CertificatePath"/>); empty disables HTTP.</summary>
    [ConfigKey("urls")]
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// Collect and serve metrics at /metrics and /p2p/metrics (docs/monitoring.md). False: no OpenTelemetry meter
    /// provider at all, so no instrument records anything and both paths answer 404.
    /// </summary>
    [ConfigKey("metrics")]
    public bool Metrics { get; set; } = true;

    /// <summary>PKCS#12 (.pfx) file with the certificate and private key Kestrel serves https:// URLs with; empty: no HTTPS.</summary>
    [ConfigKey("certificate_path")]
    public string CertificatePath { get; set; } = "";

    /// <summary>Password of <see cref="CertificatePath"/>; empty for none.</summary>
    [ConfigKey("certificate_password")]
    public string CertificatePassword { get; set; } = "";

    public bool HttpsConfigured => !string.IsNullOrWhiteSpace(CertificatePath);

    public IReadOnlyList<string> UrlList =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Loads <see cref="CertificatePath"/>; throws <see cref="System.Security.Cryptography.CryptographicException"/> or <see cref="IOException"/>.</summary>
    public X509Certificate2 LoadCertificate() =>
        X509CertificateLoader.LoadPkcs12FromFile(Path.GetFullPath(CertificatePath), string.IsNullOrEmpty(CertificatePassword) ? null : CertificatePassword);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (string url in UrlList)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https") || uri.Port is < 1 or > 65535 || uri.AbsolutePath != "/")
                yield return new ValidationResult($"'{url}' is not an http:// or https://address:port URL", [nameof(Urls)]);
            else if (uri.Host != "localhost" && !System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out _))
                yield return new ValidationResult($"'{url}': the host must be an IP address, localhost or * (not a DNS name)", [nameof(Urls)]);
            else if (uri.Scheme == "https" && !HttpsConfigured)
                yield return new ValidationResult($"'{url}' is https: needs http.certificate_path (a .pfx with the certificate and its key)", [nameof(Urls)]);
        }
        if (!HttpsConfigured) yield break;
        string? error = null;
        try
        {
            using var certificate = LoadCertificate();
            if (!certificate.HasPrivateKey) error = "holds no private key (export the certificate with its key: openssl pkcs12 -export)";
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            error = $"cannot load '{Path.GetFullPath(CertificatePath)}' as PKCS#12 with http.certificate_password: {e.Message}";
        }
        if (error is not null) yield return new ValidationResult(error, [nameof(CertificatePath)]);
    }
}
