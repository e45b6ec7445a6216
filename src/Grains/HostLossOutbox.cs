using Microsoft.Extensions.Logging;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// Tells map grains that their host lost them (<see cref="IMapGrain.HostLostAsync"/>) without a host grain turn ever
/// waiting for it: <see cref="Send"/> starts each call and returns; <see cref="Collect"/>, from the host grain's timer,
/// retries the calls that failed transiently (backoff <see cref="FirstRetry"/> doubling to <see cref="MaxRetry"/>) and
/// hands back those answered, which the grain drops from its state and then <see cref="Forget"/>s. The host grain
/// composes one per activation; what must survive the activation is kept in <see cref="HostState.Losses"/>.
/// </summary>
/// <remarks>
/// A durable loss is never given up: the host has already forgotten the map, and a map grain has no failure detection
/// of its own for an assigned map (its reminder only re-places an unassigned one), so a loss given up would leave the
/// map assigned to a host that will never run it until an operator moved it. Retrying is safe — the map grain ignores
/// a loss unless that host still holds that epoch there — and costs one call per <see cref="MaxRetry"/> per map. A
/// loss that is not durable (a player's report about a map the host no longer holds: the player can report again)
/// is given up after <see cref="Budget"/>, so reports cannot pile up while a map grain is unreachable.
/// </remarks>
public sealed partial class HostLossOutbox(string hostId, Func<HostLoss, Task> tell, TimeProvider time, ILogger logger)
{
    /// <summary>The wait before the first retry; it doubles after each failure up to <see cref="MaxRetry"/>.</summary>
    public static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two tries.</summary>
    public static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(2);

    /// <summary>After this long without an answer a durable loss is reported overdue (and retried on), another given up.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    private readonly Dictionary<HostLoss, Attempt> _attempts = [];

    /// <summary>Losses being told, answered ones included until they are <see cref="Forget"/>-ten.</summary>
    public int Count => _attempts.Count;

    /// <summary>
    /// Whether a loss is still in its first, quick retries (its wait below <see cref="MaxRetry"/>): the caller then
    /// collects every <see cref="FirstRetry"/>, else a few times per <see cref="MaxRetry"/> is enough.
    /// </summary>
    public bool BackingOff => _attempts.Values.Any(a => !a.Done && a.Delay < MaxRetry);

    /// <summary>Starts telling each loss not being told already: its first try leaves now, and nothing waits for it.</summary>
    public void Send(IEnumerable<HostLoss> losses, bool durable = true)
    {
        var now = time.GetUtcNow();
        foreach (var loss in losses)
        {
            if (_attempts.ContainsKey(loss)) continue;
            var attempt = new Attempt(now, durable);
            _attempts[loss] = attempt;
            Try(loss, attempt);
        }
    }

    /// <summary>Retries the losses that are due; returns those answered or given up (until forgotten), null when none.</summary>
    public List<HostLoss>? Collect()
    {
        var now = time.GetUtcNow();
        List<HostLoss>? done = null;
        foreach (var (loss, attempt) in _attempts)
        {
            if (attempt.Done) (done ??= []).Add(loss);
            else if (!attempt.InFlight && now >= attempt.NextAt) Try(loss, attempt);
        }
        return done;
    }

    /// <summary>Drops answered losses, once the state no longer holds them (a failed write: they are collected again).</summary>
    public void Forget(IEnumerable<HostLoss> losses)
    {
        foreach (var loss in losses) _attempts.Remove(loss);
    }

    private void Try(HostLoss loss, Attempt attempt)
    {
        attempt.InFlight = true;
        _ = TryAsync(loss, attempt);
    }

    // Runs on the grain's scheduler (started from its turn), so it shares the attempt with Collect without a lock.
    private async Task TryAsync(HostLoss loss, Attempt attempt)
    {
        try
        {
            await tell(loss);
            attempt.Done = true;
        }
        catch (Exception e) when (IsTransient(e))
        {
            var now = time.GetUtcNow();
            attempt.NextAt = now + attempt.Delay;
            attempt.Delay = attempt.Delay * 2 < MaxRetry ? attempt.Delay * 2 : MaxRetry;
            if (now - attempt.Since < Budget) LogMoveRetry(logger, loss.Map, hostId, Describe(e));
            else if (!attempt.Durable)
            {
                attempt.Done = true;
                LogMoveFailed(logger, loss.Map, hostId, Budget.TotalSeconds);
            }
            else if (!attempt.Overdue)
            {
                attempt.Overdue = true;
                LogMoveOverdue(logger, loss.Map, hostId, Budget.TotalSeconds, MaxRetry.TotalSeconds);
            }
        }
        catch (ClusterException)
        {
            attempt.Done = true; // the map grain answered (it refused): nothing to retry
        }
        catch (Exception e)
        {
            // Not a failure to reach it: the map grain failed on it, and would again. Retrying every 2 s forever
            // would only fill the log; an operator moves the map (the error says which).
            attempt.Done = true;
            LogMoveRefused(logger, loss.Map, hostId, e.GetType().Name, e.Message);
        }
        finally
        {
            attempt.InFlight = false;
        }
    }

    /// <summary>
    /// A failure to reach the map grain (a silo dying, the cluster re-forming, a timeout), or its database being down
    /// (StoreUnavailable: the map grain could not record the move, so it does not know).
    /// </summary>
    private static bool IsTransient(Exception e) =>
        e is OrleansException or TimeoutException || e is ClusterException { Code: ClusterError.StoreUnavailable };

    private static string Describe(Exception e) => e is ClusterException c ? c.Code.ToString() : e.GetType().Name;

    private sealed class Attempt(DateTimeOffset since, bool durable)
    {
        public DateTimeOffset Since { get; } = since;
        public bool Durable { get; } = durable;
        public TimeSpan Delay { get; set; } = FirstRetry;
        public DateTimeOffset NextAt { get; set; } = since;
        public bool InFlight { get; set; }
        public bool Done { get; set; }
        public bool Overdue { get; set; }
    }

    [LoggerMessage(EventId = 2210, Level = LogLevel.Information, Message = "Map {Map} could not be told yet that host {HostId} lost it ({Error}); retrying")]
    private static partial void LogMoveRetry(ILogger logger, string map, string hostId, string error);

    [LoggerMessage(EventId = 2211, Level = LogLevel.Error, Message = "Map {Map} could not be told within {Seconds} s that host {HostId} lost it; it stays assigned until an operator moves it")]
    private static partial void LogMoveFailed(ILogger logger, string map, string hostId, double seconds);

    [LoggerMessage(EventId = 2213, Level = LogLevel.Error,
        Message = "Map {Map} could not be told within {Seconds} s that host {HostId} lost it; players cannot reach it until it is told, retried every {Retry} s")]
    private static partial void LogMoveOverdue(ILogger logger, string map, string hostId, double seconds, double retry);

    [LoggerMessage(EventId = 2214, Level = LogLevel.Error,
        Message = "Map {Map} failed on being told that host {HostId} lost it ({Error}: {Reason}); not retried, an operator must move it")]
    private static partial void LogMoveRefused(ILogger logger, string map, string hostId, string error, string reason);
}
