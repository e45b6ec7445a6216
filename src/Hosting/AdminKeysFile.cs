namespace P2PCluster.Hosting;

/// <summary>
/// <c>admin.keys_file</c>: one key a line, <c>name role sha256</c> separated by spaces or tabs; blank lines and lines
/// starting with <c>#</c> are ignored. The same fields and rules as an <c>admin.api_keys</c> entry.
/// </summary>
public static class AdminKeysFile
{
    public static (IReadOnlyList<AdminKeySettings> Keys, IReadOnlyList<string> Errors) Read(string path)
    {
        string full = Path.GetFullPath(path);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ([], [$"cannot read '{full}': {e.Message}"]);
        }

        var keys = new List<AdminKeySettings>();
        var errors = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            string where = $"'{full}' line {i + 1}";
            if (fields.Length != 3)
            {
                errors.Add($"{where}: expected 'name role sha256', found {fields.Length} field(s)");
                continue;
            }
            var key = new AdminKeySettings { Name = fields[0], Sha256 = fields[2] };
            if (Enum.TryParse<AdminRole>(fields[1], ignoreCase: true, out var role) && Enum.IsDefined(role) && !char.IsDigit(fields[1][0]))
                key.Role = role;
            if (!AdminKeySettings.IsValidName(key.Name))
                errors.Add($"{where}: name '{key.Name}' must be 1–{AdminKeySettings.MaxNameLength} characters of [A-Za-z0-9_.@-]");
            if (key.Role is null) errors.Add($"{where}: role '{fields[1]}' must be read or operate");
            if (!AdminKeySettings.IsValidHash(key.Sha256)) errors.Add($"{where}: sha256 must be 64 hex digits");
            keys.Add(key);
        }
        return (keys, errors);
    }
}
