using System.Runtime.ExceptionServices;

namespace P2PCluster.LoadTool;

/// <summary>
/// All connections to one server, opened before any window, and the measurement loop: run every connection, let a
/// warm-up pass uncounted, count the round trips completed inside the window, then stop and drain.
/// </summary>
public sealed class LoadGenerator : IAsyncDisposable
{
    private const int ConnectParallelism = 32;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);

    private readonly LoadTarget _target;
    private readonly LoadConnection[] _connections;

    private LoadGenerator(LoadTarget target, LoadConnection[] connections)
    {
        _target = target;
        _connections = connections;
    }

    public static async Task<LoadGenerator> OpenAsync(LoadTarget target, int count, CancellationToken cancellationToken)
    {
        var connections = new LoadConnection?[count];
        try
        {
            // A bounded number of connects at a time stays inside Kestrel's accept backlog and the handshake deadline.
            await Parallel.ForEachAsync(Enumerable.Range(0, count),
                new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken },
                async (i, token) => connections[i] = await LoadConnection.OpenAsync(target, token));
        }
        catch
        {
            foreach (var opened in connections) if (opened is not null) await opened.DisposeAsync();
            throw;
        }
        return new LoadGenerator(target, connections!);
    }

    /// <summary>Measures round trips per second with <paramref name="inFlight"/> PINGs per connection carrying <paramref name="flags"/>.</summary>
    public async Task<Measurement> MeasureAsync(string kind, int inFlight, byte flags, TimeSpan warmup, TimeSpan window, CancellationToken cancellationToken)
    {
        var stop = new CancellationTokenSource(); // not disposed: a connection that never drains may still read it
        var failure = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loops = new Task[_connections.Length];
        for (int i = 0; i < loops.Length; i++) loops[i] = RunOneAsync(_connections[i]);

        LoadSample start = default, end = default;
        Exception? interrupted = null;
        try
        {
            await WaitAsync(warmup);
            start = LoadSample.Take(Completed());
            await WaitAsync(window);
            end = LoadSample.Take(Completed());
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
        if (!drained) throw new LoadToolException($"{_target.Name}: connections still waiting for PONGs {DrainTimeout.TotalSeconds:F0} s after the window");
        return Measurement.Between(_target.Name, kind, inFlight, start, end);

        async Task RunOneAsync(LoadConnection connection)
        {
            try
            {
                await connection.RunAsync(inFlight, flags, stop.Token);
            }
            catch (Exception e)
            {
                var reason = e as LoadToolException ?? new LoadToolException(e.Message, e);
                failure.TrySetException(new LoadToolException($"{_target.Name}, {kind}, {inFlight} in flight: {reason.Message}", e));
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

    private long Completed()
    {
        long total = 0;
        foreach (var connection in _connections) total += connection.Completed;
        return total;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections) await connection.DisposeAsync();
    }
}
