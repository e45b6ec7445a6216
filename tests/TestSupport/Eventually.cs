using System.Diagnostics;

namespace P2PCluster.TestSupport;

/// <summary>
/// The one way tests wait for something that real time (or a timer on a fake clock) makes true: the condition is
/// polled every <see cref="Interval"/> until it holds or the deadline passes, and a miss fails the test (a TimeoutException) with what was
/// awaited and what was seen last. Bounded: no wait outlives its deadline by more than one poll. Where a signal (a
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
        var pause = interval ?? Interval;
        var clock = Stopwatch.StartNew();
        int polls = 0;
        while (true)
        {
            beforeRead?.Invoke();
            var value = await read();
            polls++;
            if (done(value)) return value;
            if (clock.Elapsed >= limit)
                throw new TimeoutException($"{what}: not within {limit.TotalSeconds:0.###} s ({polls} polls); last seen: {(describe is null ? value?.ToString() : describe(value))}");
            await Task.Delay(pause);
        }
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
}
