using System.Diagnostics;

namespace P2PCluster.TestSupport;

/// <summary>
/// The one way tests wait for something that real time (or a timer on a fake clock) makes true: the condition is
/// polled every <see cref="Interval"/> until it holds or the deadline passes, and a miss fails the test (a TimeoutException) with what was
/// awaited and what was seen last (or, through <see cref="UntilAsync{T}(Func{Task{T}}, Func{T, bool}, TimeSpan?, TimeSpan?)"/>, is handed
/// back to a caller that reports it itself). An attempt that throws until it works (a connection to a server still
/// starting) is retried by <see cref="SucceedsAsync{T}"/>. Bounded: no wait outlives its deadline by more than one poll. Where a signal (a
/// task, an event, a log line) says it, await the signal instead; where a fake clock drives it, advance the clock.
/// </summary>
public static class Eventually
{
    /// <summary>How often a condition is polled unless a caller says otherwise.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a condition is given unless a caller says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Reads a value until <paramref name="done"/> holds of it, and returns that value. <paramref name="beforeRead"/>
    /// runs before every read (e.g. advancing a fake clock a step). Past <paramref name="timeout"/> it fails, naming
    /// <paramref name="what"/> and the last value read (<paramref name="describe"/>, or its ToString()).
    /// </summary>
    public static async Task<T> HoldsAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null,
        TimeSpan? interval = null, Action? beforeRead = null, Func<T, string>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var limit = timeout ?? DefaultTimeout;
        var (value, held, polls) = await PollAsync(read, done, limit, interval ?? Interval, beforeRead);
        if (held) return value;
        throw Missed(what, limit, polls, describe is null ? value?.ToString() : describe(value), inner: null);
    }

    /// <summary>
    /// Reads a value until <paramref name="done"/> holds of it or <paramref name="timeout"/> passes, and returns the
    /// last value read and whether <paramref name="done"/> held: for a caller that reports a miss itself (a chaos fault
    /// run gathers every problem before it fails) or may go on without (a wait that only makes a later check stronger).
    /// </summary>
    public static async Task<(T Last, bool Held)> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null,
        TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var (value, held, _) = await PollAsync(read, done, timeout ?? DefaultTimeout, interval ?? Interval, beforeRead: null);
        return (value, held);
    }

    /// <summary><see cref="UntilAsync{T}(Func{Task{T}}, Func{T, bool}, TimeSpan?, TimeSpan?)"/> with a synchronous read.</summary>
    public static Task<(T Last, bool Held)> UntilAsync<T>(Func<T> read, Func<T, bool> done, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        UntilAsync(() => Task.FromResult(read()), done, timeout, interval);

    /// <summary>
    /// Runs <paramref name="attempt"/> until it returns, trying again after an exception that <paramref name="retry"/>
    /// accepts (a silo still dying, a server still starting); any other exception ends the wait at once. Past
    /// <paramref name="timeout"/> it fails naming <paramref name="what"/> and the last exception (also its inner one).
    /// </summary>
    public static async Task<T> SucceedsAsync<T>(Func<Task<T>> attempt, Func<Exception, bool> retry, string what, TimeSpan? timeout = null,
        TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(retry);
        var limit = timeout ?? DefaultTimeout;
        var (outcome, held, polls) = await PollAsync(TryAsync, o => o.Failure is null, limit, interval ?? Interval, beforeRead: null);
        if (held) return outcome.Value!;
        throw Missed(what, limit, polls, $"{outcome.Failure!.GetType().Name}: {outcome.Failure.Message}", outcome.Failure);

        async Task<(T? Value, Exception? Failure)> TryAsync()
        {
            try
            {
                return (await attempt(), null);
            }
            catch (Exception e) when (retry(e))
            {
                return (default, e);
            }
        }
    }

    /// <summary><see cref="SucceedsAsync{T}"/> for an attempt without a result.</summary>
    public static Task SucceedsAsync(Func<Task> attempt, Func<Exception, bool> retry, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return SucceedsAsync(async () =>
        {
            await attempt();
            return true;
        }, retry, what, timeout, interval);
    }

    /// <summary>Reads a value until <paramref name="done"/> holds of it (a synchronous read).</summary>
    public static Task<T> HoldsAsync<T>(Func<T> read, Func<T, bool> done, string what, TimeSpan? timeout = null,
        TimeSpan? interval = null, Action? beforeRead = null, Func<T, string>? describe = null) =>
        HoldsAsync(() => Task.FromResult(read()), done, what, timeout, interval, beforeRead, describe);

    /// <summary>Waits until <paramref name="condition"/> holds; on a miss, <paramref name="seen"/> says what was seen.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null, Func<string>? seen = null) =>
        HoldsAsync(condition, held => held, what, timeout, interval, describe: _ => seen?.Invoke() ?? "false");

    /// <summary>Waits until <paramref name="condition"/> holds, polling every 20 ms; on a miss, <paramref name="seen"/> says what was seen.</summary>
    public static Task HoldsAsync(Func<bool> condition, TimeSpan timeout, Func<string> seen) =>
        TrueAsync(condition, "condition", timeout, TimeSpan.FromMilliseconds(20), seen);

    /// <summary>Waits until <paramref name="condition"/> holds (an asynchronous check).</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null, Func<string>? seen = null) =>
        HoldsAsync(condition, held => held, what, timeout, interval, describe: _ => seen?.Invoke() ?? "false");

    /// <summary>The one polling loop: the last value read, whether it held, and how many reads it took.</summary>
    private static async Task<(T Last, bool Held, int Polls)> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan limit, TimeSpan pause,
        Action? beforeRead)
    {
        var clock = Stopwatch.StartNew();
        for (int polls = 1; ; polls++)
        {
            beforeRead?.Invoke();
            var value = await read();
            if (done(value)) return (value, true, polls);
            if (clock.Elapsed >= limit) return (value, false, polls);
            await Task.Delay(pause);
        }
    }

    private static TimeoutException Missed(string what, TimeSpan limit, int polls, string? seen, Exception? inner) =>
        new($"{what}: not within {limit.TotalSeconds:0.###} s ({polls} polls); last seen: {seen}", inner);
}
