using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using P2PCluster.TestSupport;

namespace P2PCluster.Admin.Tests;

/// <summary>The API never takes keys over plain HTTP off loopback unless told to; https:// URLs use http.certificate_path.</summary>
public sealed class TransportTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-admin-tls-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task PlainHttpOnAllAddressesStopsStartNamingTheOption()
    {
        var env = AdminSilo.Environment(_dir.FullName);
        env["P2P_http__urls"] = $"http://0.0.0.0:{FreePort.Next()}";
        await using var silo = await ProgramProcess.RunAsync("Silo", [], env, TimeSpan.FromSeconds(60));
        Assert.Equal(2, silo.ExitCode); // ExitCodes.BadConfiguration
        Assert.Contains("admin.allow_insecure_http", silo.Output);
        Assert.Contains("http.certificate_path", silo.Output);
        Assert.DoesNotContain("Silo started", silo.Output);
    }

    [Fact]
    public async Task HttpsUrlServesTheApiWithTheConfiguredCertificate()
    {
        string pfx = Path.Combine(_dir.FullName, "silo.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        }
        var env = AdminSilo.Environment(_dir.FullName, scheme: "https");
        env["P2P_http__certificate_path"] = pfx;
        env["P2P_http__certificate_password"] = "pfx-password";
        await using var silo = await AdminSilo.StartAsync(env);

        X509Certificate2? seen = null;
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.RawData);
                return true;
            },
        };
        using var client = silo.Client(handler: handler);
        Assert.StartsWith("https://", silo.BaseUrl);
        using var response = await client.GetAsync("/api/v1/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(seen);
        Assert.Equal("CN=127.0.0.1", seen.Subject);
    }
}
