using System.Net;

namespace P2PCluster.Grains.Interfaces;

/// <summary>Validation of the identifiers and endpoints grains accept, shared by grains, gateway and tools.</summary>
public static class Names
{
    /// <summary>rAthena stores map names in <c>varchar(11)</c> (<c>char.last_map</c>).</summary>
    public const int MaxMapNameLength = P2PCluster.Protocol.MapNames.MaxLength;

    /// <summary>Longest host id: hex of a 32-byte key fits with room for a prefix.</summary>
    public const int MaxHostIdLength = P2PCluster.Protocol.HostIds.MaxLength;

    public static bool IsValidMapName(string? name) => P2PCluster.Protocol.MapNames.IsValid(name);

    public static bool IsValidHostId(string? id) => P2PCluster.Protocol.HostIds.IsValid(id);

    /// <summary>An endpoint is <c>host:port</c> with an IPv4/IPv6 literal or DNS name and a port in 1–65535.</summary>
    public static bool IsValidEndpoint(string? endpoint)
    {
        if (string.IsNullOrEmpty(endpoint) || endpoint.Length > 255) return false;
        int colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !ushort.TryParse(endpoint.AsSpan(colon + 1), out ushort port) || port == 0) return false;
        var host = endpoint.AsSpan(0, colon);
        if (host.Length > 2 && host[0] == '[' && host[^1] == ']') return IPAddress.TryParse(host[1..^1], out _);
        return IPAddress.TryParse(host, out _) || Uri.CheckHostName(host.ToString()) == UriHostNameType.Dns;
    }

    public static void RequireMapName(string? name)
    {
        if (!IsValidMapName(name))
            throw new ClusterException(ClusterError.InvalidArgument, $"map name '{name}' is invalid: 1–{MaxMapNameLength} characters of [A-Za-z0-9_@.-]");
    }

    public static void RequireHostId(string? id)
    {
        if (!IsValidHostId(id))
            throw new ClusterException(ClusterError.InvalidArgument, $"host id '{id}' is invalid: 1–{MaxHostIdLength} characters of [A-Za-z0-9_@.-]");
    }

    public static void RequireEndpoint(string? endpoint)
    {
        if (!IsValidEndpoint(endpoint))
            throw new ClusterException(ClusterError.InvalidArgument, $"endpoint '{endpoint}' is invalid: expected host:port with port 1–65535");
    }

}
