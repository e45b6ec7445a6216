using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using P2PCluster.Admin.Auth;

namespace P2PCluster.Admin;

/// <summary>Says at start-up where the admin API's keys come from (the development key's path), and loudly when it runs over plain HTTP.</summary>
public sealed partial class AdminApiReporter(AdminKeyring keyring, AdminTransportReport transport, ILogger<AdminApiReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (keyring.Keys.Count == 0) LogNoKeys(logger, keyring.Origin);
        else if (keyring.Development) LogDevelopmentKey(logger, keyring.Origin);
        else LogKeys(logger, keyring.Origin);
        if (transport.InsecureUrls.Count > 0) LogInsecure(logger, string.Join(", ", transport.InsecureUrls));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 7310, Level = LogLevel.Information, Message = "Admin API at /api/v1: {Origin}")]
    private static partial void LogKeys(ILogger logger, string origin);

    [LoggerMessage(EventId = 7311, Level = LogLevel.Warning, Message = "Admin API at /api/v1: {Origin}")]
    private static partial void LogDevelopmentKey(ILogger logger, string origin);

    [LoggerMessage(EventId = 7312, Level = LogLevel.Warning, Message = "Admin API at /api/v1 has {Origin}")]
    private static partial void LogNoKeys(ILogger logger, string origin);

    [LoggerMessage(EventId = 7313, Level = LogLevel.Warning,
        Message = "INSECURE: admin.allow_insecure_http is true and the admin API serves plain HTTP on {Urls}: API keys cross the network in clear. Use https:// URLs with http.certificate_path in production")]
    private static partial void LogInsecure(ILogger logger, string urls);
}
