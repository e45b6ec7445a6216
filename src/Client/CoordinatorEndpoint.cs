using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace P2PCluster.Client;

/// <summary>
/// One gateway to connect to: <c>host:port</c>, where host is an IP literal (IPv6 in brackets) or a DNS name. Host
/// agents and game clients parse their coordinator endpoints with it.
/// </summary>
public sealed record CoordinatorEndpoint(string Host, int Port)
{
    public override string ToString() => Format(Host, Port);

    /// <summary><c>host:port</c>, bracketing an IPv6 literal.</summary>
    public static string Format(string host, int port) =>
        IPAddress.TryParse(host, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]:{port}" : $"{host}:{port}";

    /// <summary>Resolves the host (every address, IPv4 first) so a connection can try each in turn.</summary>
    public async Task<IPEndPoint[]> ResolveAsync(CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(Host, out var literal)) return [new IPEndPoint(literal, Port)];
        var addresses = await Dns.GetHostAddressesAsync(Host, cancellationToken);
        return addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).Select(a => new IPEndPoint(a, Port)).ToArray();
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out CoordinatorEndpoint? endpoint)
    {
        endpoint = null;
        text = text.Trim();
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) return false;
        string host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) return false;
        }
        else if (host.Contains(':')) return false; // an IPv6 literal needs brackets to tell it from the port
        if (!IsHost(host)) return false;
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535) return false;
        endpoint = new CoordinatorEndpoint(host, port);
        return true;
    }

    /// <summary>An IP literal or a DNS name (ASCII).</summary>
    public static bool IsHost(string host) =>
        !string.IsNullOrEmpty(host) && System.Text.Ascii.IsValid(host) && Uri.CheckHostName(host) is not UriHostNameType.Unknown and not UriHostNameType.Basic;

    /// <summary>Parses a comma-separated list; <paramref name="error"/> names the first bad entry.</summary>
    public static bool TryParseList(string text, out IReadOnlyList<CoordinatorEndpoint> endpoints, [NotNullWhen(false)] out string? error)
    {
        var list = new List<CoordinatorEndpoint>();
        endpoints = list;
        error = null;
        var entries = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        if (entries.All(string.IsNullOrEmpty))
        {
            error = "required: at least one gateway as host:port (e.g. 127.0.0.1:5121)";
            return false;
        }
        foreach (string entry in entries)
        {
            if (!TryParse(entry, out var endpoint))
            {
                error = $"'{entry}' is not host:port (host an IP address, [IPv6] or DNS name; port 1-65535)";
                return false;
            }
            list.Add(endpoint);
        }
        return true;
    }
}
