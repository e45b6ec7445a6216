namespace P2PCluster.LoadTool;

/// <summary>
/// All connections to one server, opened (handshake included) before any window, and measured together.
/// </summary>
public sealed class LoadGenerator : IAsyncDisposable
{
    private const int ConnectParallelism = 32;

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
    public Task<Measurement> MeasureAsync(string kind, int inFlight, byte flags, TimeSpan warmup, TimeSpan window, CancellationToken cancellationToken) =>
        LoadWindow.MeasureAsync(_target.Name, kind, inFlight, _connections.Length,
            (i, stop) => _connections[i].RunAsync(inFlight, flags, stop), Completed, warmup, window, cancellationToken);

    /// <summary>Measures whatever <paramref name="run"/> makes connection <c>i</c> do (it counts its own round trips), e.g. resolves.</summary>
    public Task<Measurement> MeasureAsync(string kind, Func<int, LoadConnection, CancellationToken, Task> run, TimeSpan warmup, TimeSpan window,
        CancellationToken cancellationToken) =>
        LoadWindow.MeasureAsync(_target.Name, kind, 1, _connections.Length, (i, stop) => run(i, _connections[i], stop), Completed, warmup, window, cancellationToken);

    /// <summary>
    /// Unmeasured <paramref name="run"/> on every connection. At full load, as in scenario <c>grain</c>: with a twentieth
    /// of the connections primed, the first resolve slice still ran at a fifth of the later ones' speed.
    /// </summary>
    public Task PrimeAsync(Func<int, LoadConnection, CancellationToken, Task> run, TimeSpan duration, CancellationToken cancellationToken) =>
        LoadWindow.PrimeAsync(_target.Name, _connections.Length, (i, stop) => run(i, _connections[i], stop), duration, cancellationToken);

    /// <summary>Runs <paramref name="step"/> once on every connection, 32 at a time (e.g. LOGIN).</summary>
    public Task ForEachAsync(Func<int, LoadConnection, CancellationToken, Task> step, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Enumerable.Range(0, _connections.Length),
            new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken },
            async (i, token) => await step(i, _connections[i], token));

    /// <summary>
    /// Light load on a twentieth of the connections, half of them 1 in flight and half <paramref name="pipeline"/>,
    /// for each flag value, unmeasured: see <see cref="LoadWindow.PrimeAsync"/>.
    /// </summary>
    public async Task PrimeAsync(int pipeline, IEnumerable<byte> flags, TimeSpan duration, CancellationToken cancellationToken)
    {
        int workers = Math.Max(2, _connections.Length / 20);
        foreach (byte f in flags)
        {
            await LoadWindow.PrimeAsync(_target.Name, Math.Min(workers, _connections.Length),
                (i, stop) => _connections[i].RunAsync(i % 2 == 0 ? 1 : pipeline, f, stop), duration, cancellationToken);
        }
    }

    /// <summary>Round trips completed and fresh tickets seen (<see cref="LoadConnection.FreshTickets"/>) so far, over every connection.</summary>
    public (long Completed, long FreshTickets) Tally() => (Completed(), _connections.Sum(c => c.FreshTickets));

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
