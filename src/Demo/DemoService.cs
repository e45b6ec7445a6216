namespace P2PCluster.Demo;

/// <summary>
/// A <c>p2p-demo</c> service: runs once the application has started, and stops in the host's <em>stopping</em> phase —
/// before any service's StopAsync — so the demo's players and agents are gone before the gateway closes its
/// connections and the silo deactivates its grains (the host stops services in reverse order of registration).
/// </summary>
public abstract class DemoService(IHostApplicationLifetime lifetime) : BackgroundService, IHostedLifecycleService
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>The demo's work, until <paramref name="stoppingToken"/> is cancelled.</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    /// <summary>Called once the work has ended in the stopping phase.</summary>
    protected abstract void OnStopped();

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _stop.Token);
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        await RunAsync(stop.Token);
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (ExecuteTask is { } running)
        {
            // Its own failures were logged where they happened; the host's budget (cancellationToken) still bounds the wait.
            await running.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                .WaitAsync(cancellationToken);
        }
        OnStopped();
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Dispose()
    {
        _stop.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
