using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using P2PCluster.Hosting;

namespace P2PCluster.HostAgent;

/// <summary>
/// <c>metrics:</c> the agent's own Prometheus endpoint (<c>GET /metrics</c>), off unless <c>listen</c> is set. Loopback
/// only: the figures describe a player's PC, so they are for a scraper on that machine, never for the network.
/// </summary>
[ConfigSection("metrics")]
public sealed class MetricsOptions
{
    /// <summary><c>ip:port</c> on loopback (<c>127.0.0.1:9464</c>, <c>[::1]:9464</c>); empty (the default) serves nothing.</summary>
    [ConfigKey("listen"), CustomValidation(typeof(MetricsOptions), nameof(ValidateListen))]
    public string Listen { get; set; } = "";

    public bool Enabled => Listen.Length > 0;

    /// <summary>The parsed <see cref="Listen"/>; null when off.</summary>
    public IPEndPoint? Endpoint => TryParse(Listen, out var endpoint) ? endpoint : null;

    public static ValidationResult? ValidateListen(string value, ValidationContext context)
    {
        if (value.Length == 0) return ValidationResult.Success;
        if (!TryParse(value, out var endpoint))
            return new ValidationResult("must be empty (off) or a loopback address and port, e.g. 127.0.0.1:9464 or [::1]:9464", [context.MemberName!]);
        return IPAddress.IsLoopback(endpoint.Address)
            ? ValidationResult.Success
            : new ValidationResult("must be a loopback address (127.0.0.1 or [::1]): the endpoint is for a scraper on this machine only", [context.MemberName!]);
    }

    /// <summary>An IP literal and a port from 1 to 65535; IPv6 in brackets.</summary>
    private static bool TryParse(string text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        int colon = text.LastIndexOf(':');
        if (colon <= 0) return false;
        string host = text[..colon];
        if (host.StartsWith('[') != host.EndsWith(']')) return false;
        bool bracketed = host.StartsWith('[');
        if (bracketed) host = host[1..^1];
        if (!IPAddress.TryParse(host, out var address) || (address.AddressFamily == AddressFamily.InterNetworkV6) != bracketed) return false;
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535) return false;
        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
