using System.Globalization;
using P2PCluster.Protocol;

namespace P2PCluster.PlayerCli;

/// <summary>
/// <c>--latency HOSTID=MS[,HOSTID=MS…]</c>: the round trips a LATENCY_REPORT carries, within what the packet and the
/// gateway accept (docs/protocol.md §4: at most 16 entries, a u16 of milliseconds each, a valid host id; anything else
/// would be Malformed and end the session).
/// </summary>
public static class LatencyList
{
    /// <summary>The gateway's host id rule (<c>Names.IsValidHostId</c>): 1–64 characters of [A-Za-z0-9_@.-].</summary>
    public const int MaxHostIdLength = HostIds.MaxLength;

    public static bool TryParse(string text, out IReadOnlyList<HostLatency> hosts, out string error)
    {
        hosts = [];
        var entries = text.Split(',', StringSplitOptions.TrimEntries);
        if (entries.Length > LatencyReportPacket.MaxHosts)
        {
            error = $"at most {LatencyReportPacket.MaxHosts} hosts in one report, not {entries.Length}";
            return false;
        }
        var parsed = new List<HostLatency>(entries.Length);
        foreach (string entry in entries)
        {
            int equals = entry.IndexOf('=');
            if (equals < 0)
            {
                error = $"'{entry}' is not HOSTID=MS";
                return false;
            }
            string host = entry[..equals].Trim(), milliseconds = entry[(equals + 1)..].Trim();
            if (!IsHostId(host))
            {
                error = $"'{host}' is not a host id (1-{MaxHostIdLength} characters of A-Z a-z 0-9 _ @ . -, e.g. h68894d58f18f2c34d49e)";
                return false;
            }
            if (!ushort.TryParse(milliseconds, NumberStyles.None, CultureInfo.InvariantCulture, out ushort roundTrip))
            {
                error = $"'{milliseconds}' (host {host}) is not a round trip of 0-{ushort.MaxValue} ms";
                return false;
            }
            parsed.Add(new HostLatency(host, roundTrip));
        }
        (hosts, error) = (parsed, "");
        return true;
    }

    private static bool IsHostId(string id) => HostIds.IsValid(id);
}
