namespace P2PCluster.Diagnostic;

/// <summary>
/// What a database user holds beyond sql/grants.sql and sql/grants_rathena.sql: any global or database-wide privilege
/// (USAGE aside), a privilege on another database or table, a whole-table privilege where the files grant columns, a
/// column the files do not name, and GRANT OPTION.
/// </summary>
public static class GrantComparison
{
    public static IReadOnlyList<string> Excess(IEnumerable<Grant> held, IReadOnlyList<Grant> allowed, string database)
    {
        var excess = new List<string>();
        foreach (var grant in held)
        {
            if (grant.Privilege == "USAGE" && !grant.WithGrantOption) continue;
            if (grant.WithGrantOption) { excess.Add($"{grant.Describe()} (may pass its privileges on)"); continue; }
            if (grant.Table == "*" || grant.Database == "*") { excess.Add($"{grant.Describe()} (beyond single tables)"); continue; }
            if (grant.Database is not null && !string.Equals(grant.Database, database, StringComparison.Ordinal))
            {
                excess.Add($"{grant.Describe()} (another database than '{database}')");
                continue;
            }
            var onTable = allowed.Where(a => a.Privilege == grant.Privilege && string.Equals(a.Table, grant.Table, StringComparison.OrdinalIgnoreCase)).ToList();
            if (onTable.Count == 0) excess.Add($"{grant.Describe()} (not in the grant files)");
            else if (onTable.Any(a => a.Columns is null)) continue;
            else if (grant.Columns is null) excess.Add($"{grant.Describe()} (the whole table; the grant files name columns)");
            else
            {
                var columns = onTable.SelectMany(a => a.Columns!).ToHashSet(StringComparer.Ordinal);
                var extra = grant.Columns.Where(c => !columns.Contains(c)).Order(StringComparer.Ordinal).ToList();
                if (extra.Count > 0) excess.Add($"{grant.Privilege} ({string.Join(", ", extra)}) ON {grant.Table} (columns not in the grant files)");
            }
        }
        return excess;
    }
}
