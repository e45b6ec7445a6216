using Microsoft.Extensions.Logging;
using P2PCluster.Hosting;

namespace P2PCluster.Gateway;

/// <summary>Says at start-up where the gateway listens and with which key — and, loudly, when encryption is off.</summary>
public sealed partial class GatewayReporter(CoordinatorSettings settings, string keyOrigin, ILogger<GatewayReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogKey(logger, keyOrigin);
        if (!settings.Security.EncryptionEnabled) LogPlaintext(logger);
        var c = settings.Coordinator;
        LogListening(logger, c.BindAddress, c.Port, c.MaxConnections, c.HostReservedConnections, c.EffectiveMaxConnectionsPerAddress,
            c.EffectiveMaxPendingHandshakes);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Gateway signs with {Origin}")]
    private static partial void LogKey(ILogger logger, string origin);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning,
        Message = "!!! security.encryption_enabled is false: gateway traffic is NOT encrypted. Development only — never expose this gateway to the internet !!!")]
    private static partial void LogPlaintext(ILogger logger);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information,
        Message = "Gateway listening on {Address}:{Port} (max {MaxConnections} connections, {HostReserved} of them for host agents only, {PerAddress} per address; {MaxPendingHandshakes} handshakes at once)")]
    private static partial void LogListening(ILogger logger, string address, int port, int maxConnections, int hostReserved, int perAddress, int maxPendingHandshakes);
}
