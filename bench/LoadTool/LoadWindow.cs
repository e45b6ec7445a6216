using System.Runtime.ExceptionServices;

namespace P2PCluster.LoadTool;

/// <summary>
/// One measurement: start every worker, let a warm-up pass uncounted, count what completes inside the window, then
/// stop the workers (each finishes the request under way) and wait for them, within a deadline.
/// </summary>
public static class LoadWindow
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Runs a few workers, unmeasured, so the JIT moves the hot paths to optimized code before any window. Under full
    /// load the tier-1 compiler thread is starved on two cores and the first window would measure tier-0 code.
    /// </summary>
    public static Task PrimeAsync(string server, int workers, Func<int, CancellationToken, Task> run, TimeSpan duration, CancellationToken cancellationToken) =>
        MeasureAsync(server, "prime", 0, workers, run, () => 0, TimeSpan.Zero, duration, cancellationToken);

    /// <summary>
    /// Measures two things in alternating slices (first, second, first, second, …) so both see the same share of a
    /// noisy machine; prints each total and the second/first ratio of every slice pair. The first slice of each gets
    /// the full warm-up, later ones a quarter of it.
    /// </summary>
    public static async Task<(Measurement First, Measurement Second)> AlternateAsync(
        Func<TimeSpan, TimeSpan, Task<Measurement>> first, Func<TimeSpan, TimeSpan, Task<Measurement>> second, ScenarioOptions options)
    {
        var slice = options.Window / options.Slices;
        var firstParts = new List<Measurement>();
        var secondParts = new List<Measurement>();
        for (int i = 0; i < options.Slices; i++)
        {
            var warmup = i == 0 ? options.Warmup : SliceWarmup(options);
            firstParts.Add(await first(warmup, slice));
            secondParts.Add(await second(warmup, slice));
        }
        var a = Measurement.Combine(firstParts);
        var b = Measurement.Combine(secondParts);
        Console.WriteLine(a.Describe());
        Console.WriteLine(b.Describe());
        Console.WriteLine($"  slice ratios {b.Server} {b.Kind} / {a.Server} {a.Kind}: " + string.Join(' ',
            secondParts.Zip(firstParts, (y, x) => (y.RoundTripsPerSecond / x.RoundTripsPerSecond).ToString("F2", System.Globalization.CultureInfo.InvariantCulture))));
        return (a, b);
    }

    public static TimeSpan SliceWarmup(ScenarioOptions options) => options.Warmup / 4;

    /// <param name="run">Worker <c>i</c>'s loop; it returns when the token is cancelled, or throws.</param>
    /// <param name="completed">Requests completed so far by all workers.</param>
    /// <param name="atStart">Run just after the window's first sample (e.g. to read another process's counters).</param>
    /// <param name="atEnd">Run just before the window's last sample.</param>
    public static async Task<Measurement> MeasureAsync(string server, string kind, int inFlight, int workers,
        Func<int, CancellationToken, Task> run, Func<long> completed, TimeSpan warmup, TimeSpan window, CancellationToken cancellationToken,
        Func<Task>? atStart = null, Func<Task>? atEnd = null)
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
            if (atStart is not null) await atStart();
            await WaitAsync(window);
            if (atEnd is not null) await atEnd();
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
