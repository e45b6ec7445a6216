namespace P2PCluster.Grains;

/// <summary>
/// Since when the database has not answered, from probes that run off the grain's turn: <see cref="Start"/> begins one
/// unless one is still running and returns at once; the result lands here whenever the probe ends. Thread-safe.
/// </summary>
public sealed class DatabaseWatch(IDatabaseProbe? probe, TimeProvider time)
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _downSince;
    private Task? _running;

    /// <summary>Since when the last probes failed (from the first of them); null while it answers or with no database.</summary>
    public DateTimeOffset? DownSince
    {
        get { lock (_lock) return _downSince; }
    }

    /// <summary>Starts a probe on the thread pool, bounded by <paramref name="timeout"/>, unless one is still running.</summary>
    public void Start(TimeSpan timeout)
    {
        if (probe is null) return;
        lock (_lock)
        {
            if (_running is { IsCompleted: false }) return;
            var startedAt = time.GetUtcNow();
            _running = Task.Run(() => RunAsync(startedAt, timeout));
        }
    }

    private async Task RunAsync(DateTimeOffset startedAt, TimeSpan timeout)
    {
        bool ok;
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            await probe!.ProbeAsync(cancel.Token).WaitAsync(timeout);
            ok = true;
        }
        catch (Exception)
        {
            ok = false; // whatever failed, the answer is "not reachable"
        }
        Record(ok, startedAt);
    }

    /// <summary>Records one probe's outcome (started at <paramref name="at"/>).</summary>
    public void Record(bool ok, DateTimeOffset at)
    {
        lock (_lock) _downSince = ok ? null : _downSince ?? at;
    }
}
