using System.Text.RegularExpressions;

namespace P2PCluster.Diagnostic;

/// <summary>
/// One privilege of one GRANT statement: <c>SELECT</c> on <c>db.table</c>, on some columns or the whole table.
/// <see cref="Database"/> and <see cref="Table"/> are <c>*</c> for a global or database-wide grant; a grant file's
/// unqualified table has a null database (the database it is run in).
/// </summary>
public sealed partial record Grant(string Privilege, string? Database, string Table, IReadOnlySet<string>? Columns, bool WithGrantOption)
{
    public string Describe() =>
        $"{Privilege}{(Columns is null ? "" : " (" + string.Join(", ", Columns.Order(StringComparer.Ordinal)) + ")")} ON {(Database is null ? "" : Database + ".")}{Table}{(WithGrantOption ? " WITH GRANT OPTION" : "")}";

    /// <summary>
    /// Every privilege of a <c>GRANT … ON … TO …</c> statement (SHOW GRANTS or a grants file); none for anything else
    /// (a role grant, a comment). Privilege names upper case, identifiers without backticks.
    /// </summary>
    public static IReadOnlyList<Grant> Parse(string statement)
    {
        var match = Statement().Match(statement.ReplaceLineEndings(" ").Trim());
        if (!match.Success) return [];
        string target = match.Groups["on"].Value.Trim();
        string? database = null;
        string table;
        int dot = SplitQualified(target);
        if (dot >= 0)
        {
            database = Unquote(target[..dot]);
            table = Unquote(target[(dot + 1)..]);
        }
        else table = Unquote(target);
        bool grantOption = match.Groups["rest"].Value.Contains("WITH GRANT OPTION", StringComparison.OrdinalIgnoreCase);

        var grants = new List<Grant>();
        foreach (string part in SplitTopLevel(match.Groups["privs"].Value))
        {
            int paren = part.IndexOf('(');
            string name = (paren < 0 ? part : part[..paren]).Trim().ToUpperInvariant();
            if (name == "ALL") name = "ALL PRIVILEGES";
            IReadOnlySet<string>? columns = paren < 0 ? null
                : part[(paren + 1)..part.LastIndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(c => Unquote(c).ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            grants.Add(new Grant(name, database, table, columns, grantOption));
        }
        return grants;
    }

    /// <summary>The statements of a .sql file without its comments, one GRANT each.</summary>
    public static IReadOnlyList<Grant> ParseFile(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal));
        return string.Join(' ', lines).Split(';').SelectMany(Parse).ToList();
    }

    private static int SplitQualified(string target)
    {
        bool quoted = false;
        for (int i = 0; i < target.Length; i++)
        {
            if (target[i] == '`') quoted = !quoted;
            else if (target[i] == '.' && !quoted) return i;
        }
        return -1;
    }

    private static IEnumerable<string> SplitTopLevel(string privileges)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < privileges.Length; i++)
        {
            if (privileges[i] == '(') depth++;
            else if (privileges[i] == ')') depth--;
            else if (privileges[i] == ',' && depth == 0)
            {
                yield return privileges[start..i].Trim();
                start = i + 1;
            }
        }
        if (privileges[start..].Trim() is { Length: > 0 } last) yield return last;
    }

    private static string Unquote(string identifier) => identifier.Trim().Trim('`').Replace("``", "`");

    // ON's target: *.*, db.*, `db`.`table`, `table` or table; TO ends it.
    [GeneratedRegex(@"^GRANT\s+(?<privs>.+?)\s+ON\s+(?:TABLE\s+)?(?<on>(?:`[^`]*`|[^\s`])+)\s+TO\s+(?<rest>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Statement();
}
