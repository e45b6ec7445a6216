using Microsoft.Extensions.Configuration;
using P2PCluster.Hosting;

namespace P2PCluster.Admin.Tests;

/// <summary><see cref="AdminTransport.Check"/>: which http.urls may carry keys.</summary>
public sealed class TransportCheckTests
{
    private static CoordinatorSettings Settings(params (string Key, string Value)[] values) =>
        CoordinatorSettings.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://localhost:8080")]
    [InlineData("http://[::1]:8080")]
    [InlineData("")]
    public void LoopbackIsAllowed(string urls) =>
        Assert.Empty(AdminTransport.Check(Settings(("http:urls", urls))));

    [Theory]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://*:8080")]
    [InlineData("http://127.0.0.1:8080;http://192.168.1.20:8081")]
    public void PlainHttpOffLoopbackIsRefusedNamingTheOption(string urls)
    {
        var e = Assert.Throws<ConfigurationException>(() => AdminTransport.Check(Settings(("http:urls", urls))));
        Assert.StartsWith("admin.allow_insecure_http", e.Errors.Single());
    }

    [Fact]
    public void AllowInsecureHttpLetsItThroughForTheWarning()
    {
        var insecure = AdminTransport.Check(Settings(("http:urls", "http://0.0.0.0:8080"), ("admin:allow_insecure_http", "true")));
        Assert.Equal(["http://0.0.0.0:8080"], insecure);
    }
}
