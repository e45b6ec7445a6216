using System.Globalization;

namespace P2PCluster.LoadTool;

/// <summary>
/// Checks, before any socket is opened, that this process may hold the connections asked for. Each connection costs
/// two descriptors here (the generator's end and the server's) and one ephemeral port. .NET raises its soft
/// open-files limit to the hard limit at start-up, so the in-process value is the one that counts.
/// </summary>
public static class SystemLimits
{
    /// <summary>Descriptors the runtime, Kestrel and the silo hold besides the connections.</summary>
    private const int Headroom = 512;

    /// <param name="connections">Connections open at the same time (all servers together).</param>
    public static string Check(int connections)
    {
        long openFiles = ReadOpenFilesLimit();
        (int low, int high) = ReadPortRange();
        long needed = 2L * connections + Headroom;
        if (openFiles > 0 && openFiles < needed)
            throw new LoadToolException(
                $"{connections} connections open at once need about {needed} file descriptors in this process (two per connection plus {Headroom}), but the limit is {openFiles}: raise it (ulimit -n {needed}) or lower --connections");
        int ports = high - low + 1;
        if (high > 0 && connections > ports)
            throw new LoadToolException($"{connections} connections exceed the {ports} ephemeral ports in /proc/sys/net/ipv4/ip_local_port_range ({low}-{high}): lower --connections");
        return string.Create(CultureInfo.InvariantCulture,
            $"open files limit {(openFiles > 0 ? openFiles.ToString(CultureInfo.InvariantCulture) : "unknown")} (need ~{needed}), ephemeral ports {low}-{high}");
    }

    private static long ReadOpenFilesLimit()
    {
        try
        {
            string? line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            string[] fields = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
            return fields.Length > 0 && long.TryParse(fields[0], CultureInfo.InvariantCulture, out long soft) ? soft : -1;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static (int Low, int High) ReadPortRange()
    {
        try
        {
            string[] f = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return (0, 0);
        }
    }
}
