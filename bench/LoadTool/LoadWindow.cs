using System.Runtime.ExceptionServices;

namespace P2PCluster.LoadTool;

/// <summary>
/// One measurement: start every worker, let a warm-up pass uncounted, count what completes inside the window, then
/// stop the workers (each finishes the request under way) and wait for them, within a deadline.
/// </summary>
public static class LoadWindow
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);

    /// <param name="run">Worker <c>i</c>'s loop; it returns when the token is cancelled, or throws.</param>
    /// <param name="completed">Requests completed so far by all workers.</param>
    public static async Task<Measurement> MeasureAsync(string server, string kind, int inFlight, int workers,
        Func<int, CancellationToken, Task> run, Func<long> completed, TimeSpan warmup, TimeSpan window, CancellationToken cancellationToken)
    {
        var stop = new CancellationTokenSource(); // not disposed: a worker that never drains may still read it
        var failure = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loops = new Task[workers];
        for (int i = 0; i < workers; i++) loops[i] = RunOneAsync(i);

        LoadSample start = default, end = default;
        Exception? interrupted = null;
        try
        {
            await WaitAsync(warmup);
            start = LoadSample.Take(completed());
            await WaitAsync(window);
            end = LoadSample.Take(completed());
        }
        catch (Exception e)
        {
            interrupted = e;
        }

        await stop.CancelAsync();
        var all = Task.WhenAll(loops);
        bool drained = await Task.WhenAny(all, Task.Delay(DrainTimeout, CancellationToken.None)) == all;
        if (interrupted is not null) ExceptionDispatchInfo.Throw(interrupted);
        if (failure.Task.IsFaulted) throw failure.Task.Exception!.InnerException!;
        if (!drained) throw new LoadToolException($"{server}: requests still unanswered {DrainTimeout.TotalSeconds:F0} s after the window");
        return Measurement.Between(server, kind, inFlight, start, end);

        async Task RunOneAsync(int worker)
        {
            try
            {
                await run(worker, stop.Token);
            }
            catch (Exception e)
            {
                failure.TrySetException(new LoadToolException($"{server}, {kind}, {inFlight} in flight: {e.Message}", e));
                stop.Cancel();
            }
        }

        async Task WaitAsync(TimeSpan time)
        {
            var elapsed = Task.Delay(time, cancellationToken);
            await Task.WhenAny(elapsed, failure.Task);
            if (failure.Task.IsFaulted) throw failure.Task.Exception!.InnerException!;
            await elapsed; // throws if the run was cancelled
        }
    }
}
