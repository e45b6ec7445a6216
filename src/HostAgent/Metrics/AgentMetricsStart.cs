using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace P2PCluster.HostAgent.Metrics;

/// <summary>Creates the agent's instruments when the host starts (they are observable: nothing else would ask for them).</summary>
public sealed class AgentMetricsStart(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<AgentMetrics>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
