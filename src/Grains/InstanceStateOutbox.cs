using Microsoft.Extensions.Logging;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// Instance states (MAP_STATE) on their way from a host grain to map grains, by map: forwarded without waiting (the map
/// grain may itself be waiting on this host, placing a map here, and a call back would deadlock both) and resent from
/// the heartbeat until a map grain confirms. Sequence numbers start at <paramref name="firstSequence"/> (the
/// activation's clock), so a report from a later activation of the host grain still orders after an earlier one's.
/// </summary>
public sealed partial class InstanceStateOutbox(
    string hostId, long firstSequence, Func<string, InstanceReport, Task> tell, TimeProvider time, ILogger logger)
{
    /// <summary>How long an unconfirmed instance state waits before the next heartbeat resends it.</summary>
    public static readonly TimeSpan Resend = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, InstanceReport> _reports = new(StringComparer.Ordinal);
    private long _sequence = firstSequence;

    /// <summary>Reports not confirmed yet (and confirmed ones until the next <see cref="ResendDue"/>).</summary>
    public int Count => _reports.Count;

    /// <summary>Sends <paramref name="map"/>'s new state now, replacing whatever was still on its way for it.</summary>
    public void Send(string map, long epoch, MapInstanceState state, int port)
    {
        var report = new InstanceReport(epoch, state, port, ++_sequence);
        _reports[map] = report;
        Forward(map, report);
    }

    /// <summary>Resends what no map grain has confirmed; forgets what is confirmed, and the maps no longer <paramref name="held"/>.</summary>
    public void ResendDue(IReadOnlyDictionary<string, long> held, DateTimeOffset now)
    {
        if (_reports.Count == 0) return;
        List<string>? gone = null;
        foreach (var (map, report) in _reports)
        {
            if (!held.TryGetValue(map, out long epoch) || epoch != report.Epoch || report.Confirmed)
                (gone ??= []).Add(map);
            else if (now - report.SentAt >= Resend)
                Forward(map, report);
        }
        if (gone is not null) foreach (string map in gone) _reports.Remove(map);
    }

    // Runs on the grain's scheduler (started from its turn), so it shares the report with ResendDue without a lock.
    private void Forward(string map, InstanceReport report)
    {
        report.SentAt = time.GetUtcNow();
        _ = ForwardAsync();

        async Task ForwardAsync()
        {
            try
            {
                await tell(map, report);
                report.Confirmed = true; // answered, applied or not: a stale epoch is fenced there, a later report won
            }
            catch (Exception e)
            {
                LogInstanceStateRetry(logger, map, hostId, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = 2212, Level = LogLevel.Information, Message = "Map {Map} has not confirmed host {HostId}'s instance state yet ({Error}); the next heartbeat resends it")]
    private static partial void LogInstanceStateRetry(ILogger logger, string map, string hostId, string error);
}
