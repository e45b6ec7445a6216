using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using P2PCluster.Hosting;

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
        // Before OpenTelemetry's own hosted service: the instruments exist, and a port already taken stops start-up
        // with a message naming the key, not a stack trace.
        services.AddHostedService(sp => new AgentMetricsStart(sp, options));
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
}
