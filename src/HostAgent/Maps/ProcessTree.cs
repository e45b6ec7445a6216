using System.Globalization;
using System.Runtime.InteropServices;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// POSIX signals for a process and everything it started. A map command is often a shell or wrapper script, so
/// SIGTERM to its pid alone would leave the real server running; the tree is found through /proc (Linux).
/// </summary>
internal static partial class ProcessTree
{
    public const int SigTerm = 15;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/> and its descendants (parents first).</summary>
    public static void Signal(int pid, int signal)
    {
        foreach (int member in Members(pid)) _ = Kill(member, signal); // one that has already exited (ESRCH) is fine
    }

    /// <summary><paramref name="pid"/> and its descendants, parents before children.</summary>
    public static IReadOnlyList<int> Members(int pid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (string dir in SafeEnumerate("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int child)) continue;
            if (ParentOf(dir) is not { } parent) continue;
            if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
            list.Add(child);
        }
        var result = new List<int> { pid };
        for (int i = 0; i < result.Count; i++)
            if (children.TryGetValue(result[i], out var list)) result.AddRange(list);
        return result;
    }

    /// <summary>The ppid from /proc/[pid]/stat: "pid (comm) state ppid …", where comm may itself hold spaces and parentheses.</summary>
    private static int? ParentOf(string procDir)
    {
        try
        {
            string stat = File.ReadAllText(Path.Combine(procDir, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int ppid) ? ppid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // exited meanwhile, or not ours to read
        }
    }

    private static IEnumerable<string> SafeEnumerate(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
