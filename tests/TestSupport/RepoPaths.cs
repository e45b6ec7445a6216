using System.Reflection;

namespace P2PCluster.TestSupport;

/// <summary>Locations in the source tree and of built programs, found from the test assembly.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: programs are taken from the same configuration as the tests.</summary>
    public static string Configuration { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The built dll of a program under src/, e.g. <c>Program("Silo")</c>; <paramref name="assembly"/> when the project names its own (p2p-client).</summary>
    public static string Program(string project, string? assembly = null)
    {
        string path = Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", $"{assembly ?? "P2PCluster." + project}.dll");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is not built; build the solution first", path);
        return path;
    }

    public static string SqlDirectory => Path.Combine(AppContext.BaseDirectory, "sql");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "P2PCluster.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no P2PCluster.sln above {AppContext.BaseDirectory}");
    }
}
