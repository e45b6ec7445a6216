using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using P2PCluster.Hosting;

namespace P2PCluster.HostAgent.Metrics;

/// <summary>Creates the agent's instruments and opens the metrics endpoint when the host starts; a port that cannot be opened stops start-up naming <c>metrics.listen</c>.</summary>
public sealed class AgentMetricsStart(IServiceProvider services, MetricsOptions options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<AgentMetrics>();
        try
        {
            services.GetRequiredService<MeterProvider>();
        }
        catch (Exception e) when (e is HttpListenerException || e.InnerException is HttpListenerException)
        {
            throw new ConfigurationException([$"metrics.listen = '{options.Listen}': cannot serve metrics there ({(e.InnerException ?? e).Message})"]);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
