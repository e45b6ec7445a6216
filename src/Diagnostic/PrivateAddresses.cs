using System.Net;
using System.Net.Sockets;

namespace P2PCluster.Diagnostic;

/// <summary>Addresses players on the internet cannot reach: loopback, RFC 1918, carrier-grade NAT, link-local, IPv6 unique-local.</summary>
public static class PrivateAddresses
{
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
        byte[] b = address.GetAddressBytes();
        return b[0] == 10
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && b[1] is >= 64 and <= 127)
            || (b[0] == 169 && b[1] == 254);
    }

    /// <summary>The host part of host:port or [IPv6]:port as an address, when it is a literal.</summary>
    public static IPAddress? AddressOf(string endpoint)
    {
        int colon = endpoint.LastIndexOf(':');
        string host = (colon > 0 ? endpoint[..colon] : endpoint).Trim('[', ']');
        return IPAddress.TryParse(host, out var address) ? address : null;
    }
}
