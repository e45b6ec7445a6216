using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace P2PCluster.Gateway;

/// <summary>
/// The Prometheus endpoint of a process that serves HTTP (silo, stand-alone gateway): every <c>P2PCluster.*</c> meter,
/// Orleans' own meters and the .NET runtime's, at <c>/metrics</c> and at the seed's <c>/p2p/metrics</c> (same content).
/// docs/monitoring.md lists every metric.
/// </summary>
public static class MetricsEndpoint
{
    /// <summary>The paths the scrape is served on.</summary>
    public static readonly IReadOnlyList<string> Paths = ["/metrics", "/p2p/metrics"];

    /// <summary>Our meters' names start with this.</summary>
    public const string MeterPrefix = "P2PCluster.";

    /// <summary>Orleans' meter (grain calls, messaging, membership, activations).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Collects our meters, Orleans' and the runtime's for the Prometheus exporter.</summary>
    /// <param name="service">The <c>service.name</c> of this process (<c>p2p-silo</c>, <c>p2p-gateway</c>).</param>
    public static IServiceCollection AddP2PMetrics(this IServiceCollection services, string service)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(service))
            .WithMetrics(metrics => metrics
                .AddMeter(MeterPrefix + "*")
                .AddMeter(OrleansMeter)
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        return services;
    }

    /// <summary>Serves the scrape on <see cref="Paths"/>.</summary>
    public static IApplicationBuilder MapP2PMetrics(this IApplicationBuilder app) =>
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path.Value is { } path && Paths.Contains(path, StringComparer.OrdinalIgnoreCase));
}
