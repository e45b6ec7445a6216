namespace P2PCluster.Demo;

/// <summary>
/// The lifetime of an in-process demo agent: no signal handling of its own. The silo's host receives SIGTERM and
/// <see cref="DemoAgents"/> stops the agents in order; an agent listening for the signal itself would stop (and log
/// "Application is shutting down") on its own, out of order.
/// </summary>
public sealed class DemoAgentLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
