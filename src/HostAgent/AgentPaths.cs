namespace P2PCluster.HostAgent;

/// <summary>
/// Where the agent looks for its files when the configuration names none or a relative path. Linux keeps paths
/// relative to the working directory (the clone, or systemd's <c>WorkingDirectory</c>). On Windows a service starts
/// in <c>System32</c>, so relative paths are taken under <c>%ProgramData%\P2PCluster</c> and the configuration
/// file is <c>%ProgramData%\P2PCluster\host_node.conf</c>: the shipped conf (<c>data/host_ed25519.pem</c>, …) works
/// unchanged on both.
/// </summary>
public sealed record AgentPaths(string? Root, string DefaultConfigFile)
{
    /// <summary>Linux and every non-Windows system: today's relative paths.</summary>
    public static readonly AgentPaths Posix = new(null, HostNodeSettings.DefaultPath);

    /// <summary>The paths for this operating system (the one place that decides).</summary>
    public static AgentPaths ForThisSystem() =>
        OperatingSystem.IsWindows() ? ForWindows(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData)) : Posix;

    /// <summary>Windows' paths under <paramref name="programData"/> (<c>%ProgramData%</c>, normally <c>C:\ProgramData</c>).</summary>
    public static AgentPaths ForWindows(string programData)
    {
        string root = $@"{programData.TrimEnd('\\')}\P2PCluster";
        return new AgentPaths(root, $@"{root}\host_node.conf");
    }

    /// <summary>
    /// <paramref name="path"/> as the agent opens it: unchanged where there is no <see cref="Root"/> or the path is
    /// absolute, else under <see cref="Root"/>. Windows rules (drive letters, <c>\\server\share</c>) are applied by
    /// hand so the Linux build computes the same answer as Windows would.
    /// </summary>
    public string Resolve(string path)
    {
        if (Root is null || path.Length == 0 || IsWindowsRooted(path)) return path;
        return $@"{Root}\{path.Replace('/', '\\')}";
    }

    private static bool IsWindowsRooted(string path) =>
        path.StartsWith('\\') || path.StartsWith('/') || (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':');
}
