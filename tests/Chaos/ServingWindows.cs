using System.Text.RegularExpressions;

namespace P2PCluster.Chaos;

/// <summary>
/// The double-hosting detector: from each agent's log (lines timed as they were read) when it served which map —
/// from "Map X running on port P (epoch E)" to its REVOKE (the instance closes its listener and sockets at once), its lease
/// running out, "Map X stopped"/"failed", or the kill of its process — less the times it was frozen. Two hosts serving
/// one map at once is double hosting (issue 11, item 8).
/// <para>
/// The lease line ("Lease expired: … (expired N ms ago); stops serving X, Y now") ends the window N ms before it was
/// read, at the moment the lease ran out: from then on each built-in instance refuses every ENTER and closes a player at
/// its next packet without handling it (its LeaseGate checks the lease itself), whenever the agent's watcher gets to
/// stop it. After a freeze the watcher runs late (packets queued in the kernel may be handled first), the gate does not.
/// N is taken as the line is written, and the line is read no earlier, so the window ends no earlier than serving did.
/// </para>
/// </summary>
public sealed partial class ServingWindows
{
    /// <summary>One host serving one map from <see cref="From"/> to <see cref="To"/> under <see cref="Epoch"/> (the first it ran under).</summary>
    public sealed record Window(string Map, string Agent, long Epoch, DateTime From, DateTime To);

    private readonly List<Window> _windows = [];
    private readonly List<string> _epochProblems = [];

    public IReadOnlyList<Window> Windows => _windows;

    /// <summary>Epoch order broken in the logs: a map started on another host under an epoch not above the last one.</summary>
    public IReadOnlyList<string> EpochProblems => _epochProblems;

    public static ServingWindows Read(IEnumerable<ChaosAgent> agents, DateTime now)
    {
        var result = new ServingWindows();
        var starts = new List<(DateTime At, string Map, string Agent, long Epoch)>();
        foreach (var agent in agents)
        {
            foreach (var run in agent.Runs)
            {
                var open = new Dictionary<string, (DateTime From, long Epoch)>();
                var lines = run.TimedLines;
                foreach (var (at, line) in lines)
                {
                    if (Running().Match(line) is { Success: true } running)
                    {
                        string map = running.Groups[1].Value;
                        long epoch = long.Parse(running.Groups[2].Value);
                        starts.Add((at, map, agent.Name, epoch));
                        open.TryAdd(map, (at, epoch));
                    }
                    else if (Replaced().Match(line) is { Success: true } replaced && open.TryGetValue(replaced.Groups[1].Value, out var current))
                    {
                        open[replaced.Groups[1].Value] = current with { Epoch = long.Parse(replaced.Groups[2].Value) };
                    }
                    else if (Ended().Match(line) is { Success: true } ended && open.Remove(ended.Groups[1].Value, out var window))
                    {
                        result.Add(new Window(ended.Groups[1].Value, agent.Name, window.Epoch, window.From, at), agent.Freezes);
                    }
                    // The lease ran out N ms before the line: the instances' gates refused everything from then on.
                    else if (LeaseExpired().Match(line) is { Success: true } expired)
                    {
                        var ranOut = at - TimeSpan.FromMilliseconds(long.Parse(expired.Groups[1].Value));
                        foreach (var name in expired.Groups[2].Value.Split(", ", StringSplitOptions.RemoveEmptyEntries))
                            if (open.Remove(name, out var leased))
                                result.Add(new Window(name, agent.Name, leased.Epoch, leased.From, ranOut > leased.From ? ranOut : leased.From), agent.Freezes);
                    }
                    // The instance closes its listener and its players' sockets as soon as it takes the REVOKE; its
                    // "stopped" line waits for their connection tasks to end, which can take seconds.
                    else if (Revoked().Match(line) is { Success: true } revoked && open.TryGetValue(revoked.Groups[1].Value, out var revokedWindow)
                             && long.Parse(revoked.Groups[2].Value) >= revokedWindow.Epoch)
                    {
                        open.Remove(revoked.Groups[1].Value);
                        result.Add(new Window(revoked.Groups[1].Value, agent.Name, revokedWindow.Epoch, revokedWindow.From, at), agent.Freezes);
                    }
                }
                DateTime end = agent.Killed.TryGetValue(run, out var killed) ? killed
                    : run.HasExited && lines.Count > 0 ? lines[^1].At : now;
                foreach (var (map, window) in open) result.Add(new Window(map, agent.Name, window.Epoch, window.From, end), agent.Freezes);
            }
        }
        foreach (var map in starts.GroupBy(s => s.Map))
        {
            (string Agent, long Epoch)? last = null;
            foreach (var start in map.OrderBy(s => s.At))
            {
                if (last is { } previous && (start.Agent == previous.Agent ? start.Epoch < previous.Epoch : start.Epoch <= previous.Epoch))
                    result._epochProblems.Add($"{map.Key}: started on {start.Agent} under epoch {start.Epoch} at {start.At:HH:mm:ss.fff} after {previous.Agent} ran it under {previous.Epoch}");
                last = (start.Agent, start.Epoch);
            }
        }
        return result;
    }

    /// <summary>Every time two hosts served one map at once (each overlap of two windows, since <paramref name="since"/>).</summary>
    public List<(string Map, string A, string B, DateTime From, TimeSpan Length)> Overlaps(DateTime since)
    {
        var overlaps = new List<(string, string, string, DateTime, TimeSpan)>();
        foreach (var map in _windows.Where(w => w.To > since).GroupBy(w => w.Map))
        {
            var list = map.ToList();
            for (int i = 0; i < list.Count; i++)
            for (int j = i + 1; j < list.Count; j++)
            {
                if (list[i].Agent == list[j].Agent) continue;
                var from = list[i].From > list[j].From ? list[i].From : list[j].From;
                var to = list[i].To < list[j].To ? list[i].To : list[j].To;
                if (from < since) from = since;
                if (to > from) overlaps.Add((map.Key, list[i].Agent, list[j].Agent, from, to - from));
            }
        }
        return overlaps;
    }

    /// <summary>
    /// The narrowest hand-over since <paramref name="since"/>: the shortest time from one host's window of a map ending
    /// to another host's window of it starting (the margin the lease left), or null when no map changed hosts.
    /// </summary>
    public (string Map, string From, string To, TimeSpan Gap)? ClosestHandOver(DateTime since)
    {
        (string, string, string, TimeSpan)? closest = null;
        foreach (var map in _windows.Where(w => w.To > since).GroupBy(w => w.Map))
            foreach (var before in map)
                foreach (var after in map.Where(w => w.Agent != before.Agent && w.From >= before.To))
                    if (closest is not { Item4: var gap } || after.From - before.To < gap)
                        closest = (map.Key, before.Agent, after.Agent, after.From - before.To);
        return closest;
    }

    /// <summary>Adds a window less the freezes inside it (split where they fall).</summary>
    private void Add(Window window, IEnumerable<(DateTime From, DateTime To)> freezes)
    {
        var from = window.From;
        foreach (var (stop, cont) in freezes.Where(f => f.To > window.From && f.From < window.To).OrderBy(f => f.From))
        {
            if (stop > from) _windows.Add(window with { From = from, To = stop });
            from = cont;
        }
        if (window.To > from) _windows.Add(window with { From = from });
    }

    [GeneratedRegex(@"Map (\S+) running on port \d+ \(epoch (\d+)\)")]
    private static partial Regex Running();

    [GeneratedRegex(@"Coordinator revokes map (\S+) \(epoch (\d+),")]
    private static partial Regex Revoked();

    [GeneratedRegex(@"Map (\S+) now runs under epoch (\d+)")]
    private static partial Regex Replaced();

    [GeneratedRegex(@"Lease expired: .*\(expired (\d+) ms ago\); stops serving (.+) now, until the coordinator acknowledges again")]
    private static partial Regex LeaseExpired();

    [GeneratedRegex(@"Map (\S+) (?:stopped \(epoch|failed \(epoch)")]
    private static partial Regex Ended();
}
