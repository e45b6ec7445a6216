using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace P2PCluster.HostAgent.Metrics;

/// <summary>
/// <c>metrics.listen</c>: serves <see cref="AgentMetrics"/> and the .NET runtime's meters at <c>http://listen/metrics</c>
/// through the Prometheus exporter's own <see cref="System.Net.HttpListener"/> (the agent is a generic host, not an
/// ASP.NET application, so it takes no web server for one read-only page).
/// </summary>
public static class AgentMetricsSetup
{
    public static IServiceCollection AddAgentMetrics(this IServiceCollection services, MetricsOptions options)
    {
        if (options.Endpoint is not { } endpoint) return services;
        services.AddMetrics();
        services.AddSingleton<AgentMetrics>();
        services.AddHostedService(sp => new AgentMetricsStart(sp));
        string host = endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("p2p-host-agent"))
            .WithMetrics(metrics => metrics
                .AddMeter(AgentMetrics.MeterName)
                .AddRuntimeInstrumentation()
                .AddPrometheusHttpListener(listener =>
                {
                    listener.Host = host;
                    listener.Port = endpoint.Port;
                }));
        return services;
    }

    /// <summary>What to tell the operator when the endpoint could not be opened (a port already taken), naming the key; null for any other failure.</summary>
    public static string? Describe(Exception failure, MetricsOptions options) =>
        options.Enabled && (failure as HttpListenerException ?? failure.InnerException as HttpListenerException) is { } listen
            ? $"metrics.listen = '{options.Listen}': cannot serve metrics there ({listen.Message})"
            : null;
}
