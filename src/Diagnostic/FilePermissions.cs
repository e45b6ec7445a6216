namespace P2PCluster.Diagnostic;

/// <summary>Unix permission checks of key files: who besides the owner may read or write them.</summary>
public static class FilePermissions
{
    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8);

    /// <summary>A finding on a secret file (a private key): anything for group or others is critical.</summary>
    public static Finding Secret(string area, string check, string what, string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) return new Finding(area, check, Severity.Critical, $"{what} '{full}' does not exist", "Point the key at the file the silo uses.");
        if (OperatingSystem.IsWindows()) return Finding.Ok(area, check, $"{what} '{full}': Windows ACLs are not checked");
        var mode = File.GetUnixFileMode(full);
        const UnixFileMode groupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if ((mode & groupOrOthers) != 0)
        {
            string who = (mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0 ? "every user of the machine" : "its group";
            return new Finding(area, check, Severity.Critical, $"{what} '{full}' has mode {Octal(mode)}: {who} may read or change it",
                $"chmod 600 '{full}', and, since it may have been read, consider it compromised (rotate the key).");
        }
        return Finding.Ok(area, check, $"{what} '{full}' has mode {Octal(mode)}");
    }

    /// <summary>A finding on a file of key hashes: writable by others is critical (anyone could add a key), readable a warning.</summary>
    public static Finding Hashes(string area, string check, string what, string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) return new Finding(area, check, Severity.Critical, $"{what} '{full}' does not exist", "The silo refuses to start without it: fix admin.keys_file.");
        if (OperatingSystem.IsWindows()) return Finding.Ok(area, check, $"{what} '{full}': Windows ACLs are not checked");
        var mode = File.GetUnixFileMode(full);
        if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            return new Finding(area, check, Severity.Critical, $"{what} '{full}' has mode {Octal(mode)}: others may write it and add a key of their own",
                $"chmod 600 '{full}' (owner: the silo's user), then check that every line in it is yours.");
        if ((mode & UnixFileMode.OtherRead) != 0)
            return new Finding(area, check, Severity.Warning, $"{what} '{full}' has mode {Octal(mode)}: every user may read the key hashes and names",
                $"chmod 600 '{full}'.");
        return Finding.Ok(area, check, $"{what} '{full}' has mode {Octal(mode)}");
    }
}
