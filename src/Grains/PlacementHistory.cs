using System.Globalization;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;
using P2PCluster.Protocol;

namespace P2PCluster.Grains;

/// <summary>
/// A map's placement history as operators read it: the last <see cref="Depth"/> decisions, newest first, kept in the
/// map's persisted state as an immutable array (replaced, never changed in place), and the "why" of where it runs.
/// </summary>
public static class PlacementHistory
{
    public const int Depth = 10;

    /// <summary><paramref name="history"/> with <paramref name="record"/> first, cut to <see cref="Depth"/>.</summary>
    public static PlacementRecord[] Prepend(PlacementRecord[]? history, PlacementRecord record)
    {
        history ??= [];
        var result = new PlacementRecord[Math.Min(Depth, history.Length + 1)];
        result[0] = record;
        Array.Copy(history, 0, result, 1, result.Length - 1);
        return result;
    }

    /// <summary>The record of a committed placement.</summary>
    public static PlacementRecord Of(MapAssignment assignment, PlacementDecision? decision, string reason) =>
        new(assignment.Map, assignment.Epoch, assignment.HostId, assignment.HostKind, decision?.Reason ?? reason, assignment.AssignedAt,
            decision?.Score, decision?.Candidates?.ToArray() ?? []); // an array: stored as JSON with its type, which must be one a reader can create

    /// <summary>The record of a map left without a host.</summary>
    public static PlacementRecord Unplaced(string map, long epoch, string reason, DateTimeOffset at) =>
        new(map, epoch, null, null, reason, at, null, []);

    /// <summary>Where the map runs and why, in an operator's words.</summary>
    public static string Why(MapStatus status, MapAssignment? assignment, PlacementDecision? decision, PlacementRecord? last)
    {
        if (status == MapStatus.Disabled) return "disabled by an operator";
        if (assignment is null)
            return last is { HostId: null } ? $"no host: {last.Reason}; waiting for a host that qualifies" : "no host qualifies yet; waiting for one";
        string kind = assignment.HostKind == HostKind.Vps ? "VPS" : "P2P";
        string why = decision is null
            ? $"on {kind} host {assignment.HostId}: {last?.Reason ?? "assigned directly"}"
            : string.Create(CultureInfo.InvariantCulture,
                $"on {kind} host {assignment.HostId} (score {decision.Score.Total:0.##}; {decision.Eligible} host(s) eligible): {decision.Reason}");
        return why;
    }

    /// <summary>Why a map left <paramref name="hostId"/>, in words.</summary>
    public static string Lost(RevocationReason reason, string hostId) => reason switch
    {
        RevocationReason.Drained => $"host {hostId} is draining",
        RevocationReason.Rebalanced => $"host {hostId} was overloaded and shed it",
        RevocationReason.Disabled => $"disabled on host {hostId}",
        _ => $"host {hostId} was lost (dead, disconnected, banned, or could not run it)",
    };

    /// <summary>A map's detail for operators from its grain's state (players are filled in by the caller, from its host).</summary>
    public static MapDetail Detail(string name, MapState s)
    {
        var last = s.History.Length > 0 ? s.History[0] : null;
        var summary = new MapSummary(name, s.Policy, s.Status, s.Assignment?.HostId, s.Assignment?.HostKind, s.Epoch, s.InstanceState, 0,
            Why(s.Status, s.Assignment, s.Decision, last), s.Assignment?.AssignedAt ?? last?.DecidedAt);
        return new MapDetail(summary, s.Configured ?? s.Policy, s.Override is not null, s.Assignment, s.History); // History is never changed in place
    }
}
