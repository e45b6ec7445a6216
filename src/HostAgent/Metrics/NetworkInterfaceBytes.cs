using System.Net.NetworkInformation;

namespace P2PCluster.HostAgent.Metrics;

/// <summary>
/// Received + sent bytes from <see cref="NetworkInterface"/> (the framework's view, on every system): the counter
/// Windows has no /proc/net/dev for. Counted are the interfaces that are up, neither loopback nor tunnels (they carry
/// the same bytes again); loopback only when nothing else is up, or with <c>countLoopback</c>.
/// </summary>
public static class NetworkInterfaceBytes
{
    /// <summary>One interface as seen at one instant.</summary>
    public readonly record struct Interface(string Name, NetworkInterfaceType Type, OperationalStatus Status, ulong Bytes);

    /// <summary>Reads every interface of this machine now.</summary>
    public static IReadOnlyList<Interface> Snapshot()
    {
        var result = new List<Interface>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            ulong bytes;
            try
            {
                var stats = nic.GetIPStatistics();
                bytes = (ulong)Math.Max(0, stats.BytesReceived) + (ulong)Math.Max(0, stats.BytesSent);
            }
            catch (NetworkInformationException)
            {
                continue; // gone between the listing and the read
            }
            result.Add(new Interface(nic.Name, nic.NetworkInterfaceType, nic.OperationalStatus, bytes));
        }
        return result;
    }

    /// <summary>The bytes of the counted interfaces (rules above) and their names.</summary>
    public static ulong Count(IReadOnlyList<Interface> all, bool countLoopback, out IReadOnlyList<string> counted)
    {
        var chosen = all.ToList();
        if (!countLoopback)
        {
            var real = all.Where(i => i.Status == OperationalStatus.Up
                && i.Type is not (NetworkInterfaceType.Loopback or NetworkInterfaceType.Tunnel)).ToList();
            chosen = real.Count > 0 ? real : all.Where(i => i.Type == NetworkInterfaceType.Loopback).ToList();
        }
        counted = chosen.Select(i => i.Name).ToArray();
        ulong sum = 0;
        foreach (var i in chosen) sum += i.Bytes;
        return sum;
    }
}
