using System.Globalization;

namespace P2PCluster.LoadTool;

/// <summary>
/// Checks, before any socket is opened, that this process may hold the connections asked for. Each connection costs
/// one ephemeral port and two descriptors here when the server runs in this process (the generator's end and the
/// server's), one when it is a child process. .NET raises its soft open-files limit to the hard limit at start-up,
/// so the in-process value is the one that counts (and a child process inherits it).
/// </summary>
public static class SystemLimits
{
    /// <summary>Descriptors the runtime, Kestrel and the silo hold besides the connections.</summary>
    private const int Headroom = 512;

    /// <param name="connections">Connections open at the same time (all servers together).</param>
    /// <param name="descriptorsPerConnection">2 when the server runs in this process, 1 when it is another process.</param>
    /// <param name="option">The option that sets the number of connections, for the error message.</param>
    public static string Check(int connections, int descriptorsPerConnection = 2, string option = "--connections")
    {
        long openFiles = ReadOpenFilesLimit();
        (int low, int high) = ReadPortRange();
        long needed = (long)descriptorsPerConnection * connections + Headroom;
        if (openFiles > 0 && openFiles < needed)
            throw new LoadToolException(
                $"{connections} connections open at once need about {needed} file descriptors in this process ({(descriptorsPerConnection == 1 ? "one" : "two")} per connection plus {Headroom}), but the limit is {openFiles}: raise it (ulimit -n {needed}) or lower {option}");
        int ports = high - low + 1;
        if (high > 0 && connections > ports)
            throw new LoadToolException($"{connections} connections exceed the {ports} ephemeral ports in /proc/sys/net/ipv4/ip_local_port_range ({low}-{high}): lower {option}");
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
