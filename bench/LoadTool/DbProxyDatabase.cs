using System.Globalization;
using System.Text;
using MySqlConnector;
using P2PCluster.TestSupport;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scenario <c>dbproxy</c>'s database: a fresh one on the server <c>P2P_database__connection_string</c> names, with
/// our schema applied by the code behind the silo's <c>--init-db</c>, rAthena's <c>login</c> and <c>char</c> tables
/// (tests/TestSupport/Sql/rathena_main_subset.sql, MyISAM as upstream), the seeded accounts and characters, the
/// baseline's copy of <c>char</c>, and a least-privilege user for the silo (sql/grants.sql + grants_rathena.sql).
/// </summary>
public sealed class DbProxyDatabase
{
    public const string ConnectionVariable = "P2P_database__connection_string";
    public const int FirstAccount = 2_000_000, FirstChar = 150_000;

    private DbProxyDatabase(string admin, string silo)
    {
        AdminConnectionString = admin;
        SiloConnectionString = silo;
    }

    /// <summary>The environment's user, on the new database: seeds, baseline, checks.</summary>
    public string AdminConnectionString { get; }

    /// <summary>The least-privilege user the silo runs as.</summary>
    public string SiloConnectionString { get; }

    public string Name => new MySqlConnectionStringBuilder(AdminConnectionString).Database;

    /// <summary>Creates and seeds everything; <paramref name="baselineEngine"/> is the copy's storage engine (null: as <c>char</c>).</summary>
    public static async Task<DbProxyDatabase> CreateAsync(SavedCharacter[] characters, string? baselineEngine)
    {
        string? server = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (string.IsNullOrWhiteSpace(server))
            throw new LoadToolException($"scenario dbproxy needs a MariaDB: set {ConnectionVariable} to a connection string of a user allowed to create databases and users (the scenario makes its own database there)");
        string admin;
        try
        {
            admin = await MariaDbServer.CreateDatabaseOnAsync(server, "dbproxy");
        }
        catch (Exception e) when (e is MySqlException or Hosting.DatabaseException or ArgumentException)
        {
            throw new LoadToolException($"{ConnectionVariable}: cannot create the scenario's database: {e.Message}", e);
        }
        await MariaDbServer.CreateRathenaTablesAsync(admin);
        await using (var connection = new MySqlConnection(admin))
        {
            await connection.OpenAsync();
            await SeedAsync(connection, characters);
            await MariaDbServer.ExecuteAsync(connection, $"CREATE TABLE {BaselineWriter.Table} LIKE `char`; INSERT INTO {BaselineWriter.Table} SELECT * FROM `char`;");
            if (baselineEngine is not null) await MariaDbServer.ExecuteAsync(connection, $"ALTER TABLE {BaselineWriter.Table} ENGINE = {baselineEngine}");
        }
        string silo = await MariaDbServer.CreateUserWithGrantsAsync(admin, "grants.sql", "grants_rathena.sql");
        return new DbProxyDatabase(admin, silo);
    }

    private static async Task SeedAsync(MySqlConnection connection, SavedCharacter[] characters)
    {
        foreach (var chunk in characters.Chunk(1000))
        {
            var sql = new StringBuilder("INSERT INTO `login` (account_id, userid, user_pass, sex) VALUES ");
            sql.AppendJoin(", ", chunk.Select(c => string.Create(CultureInfo.InvariantCulture, $"({c.AccountId}, 'dbp{c.AccountId}', 'pw', 'M')")));
            sql.Append(";\nINSERT INTO `char` (char_id, account_id, char_num, name, sex, last_map, last_x, last_y, base_level, job_level, base_exp, job_exp, zeny, " +
                       "str, agi, vit, `int`, dex, luk, status_point, skill_point, hp, max_hp, sp, max_sp) VALUES ");
            sql.AppendJoin(", ", chunk.Select(c =>
            {
                var d = c.Record;
                return string.Create(CultureInfo.InvariantCulture,
                    $"({c.CharId}, {c.AccountId}, 0, '{BaselineWriter.Name(c.CharId)}', 'M', '{c.Map}', {d.X}, {d.Y}, {d.BaseLevel}, {d.JobLevel}, {d.BaseExp}, {d.JobExp}, {d.Zeny}, " +
                    $"{d.Str}, {d.Agi}, {d.Vit}, {d.Int}, {d.Dex}, {d.Luk}, {d.StatusPoint}, {d.SkillPoint}, {d.Hp}, {d.MaxHp}, {d.Sp}, {d.MaxSp})");
            }));
            await MariaDbServer.ExecuteAsync(connection, sql.ToString());
        }
    }

    /// <summary>The storage engine of a table of the scenario's database.</summary>
    public async Task<string> EngineAsync(string table) =>
        (string)(await ScalarAsync($"SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}'"))!;

    /// <summary>The server's process id, when it runs on this machine and its pid file is readable (for its CPU); otherwise null.</summary>
    public async Task<int?> ServerProcessAsync()
    {
        try
        {
            string? file = await ScalarAsync("SELECT @@pid_file") as string;
            if (file is null || !File.Exists(file)) return null;
            int pid = int.Parse((await File.ReadAllTextAsync(file)).Trim(), CultureInfo.InvariantCulture);
            string comm = (await File.ReadAllTextAsync($"/proc/{pid}/comm")).Trim();
            return comm is "mariadbd" or "mysqld" ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The audit of the proxy's writes: accepted saves, and every refused write.</summary>
    public async Task<(long AcceptedSaves, long Refused, long VersionSum)> AuditAsync() =>
        (Convert.ToInt64(await ScalarAsync("SELECT COUNT(*) FROM p2p_db_audit WHERE operation = 'save' AND accepted = 1"), CultureInfo.InvariantCulture),
         Convert.ToInt64(await ScalarAsync("SELECT COUNT(*) FROM p2p_db_audit WHERE accepted = 0"), CultureInfo.InvariantCulture),
         Convert.ToInt64(await ScalarAsync("SELECT COALESCE(SUM(version), 0) FROM p2p_char_version"), CultureInfo.InvariantCulture));

    /// <summary>Characters whose <c>char</c> row differs from what the proxy last acknowledged for them (position, exp, zeny, hp).</summary>
    public async Task<List<int>> RowsNotAsAcknowledgedAsync(IReadOnlyDictionary<int, SavedCharacter> characters)
    {
        await using var connection = new MySqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand("SELECT char_id, last_x, last_y, base_exp, job_exp, zeny, hp FROM `char`", connection);
        await using var r = await command.ExecuteReaderAsync();
        var wrong = new List<int>();
        while (await r.ReadAsync())
        {
            int id = checked((int)r.GetUInt32(0));
            if (!characters.TryGetValue(id, out var c)) continue;
            var d = c.Record;
            if ((r.GetUInt16(1), r.GetUInt16(2), r.GetUInt64(3), r.GetUInt64(4), r.GetUInt32(5), r.GetUInt32(6)) != (d.X, d.Y, d.BaseExp, d.JobExp, d.Zeny, d.Hp))
                wrong.Add(id);
        }
        return wrong;
    }

    /// <summary>Drops the scenario's database and the silo's user.</summary>
    public async Task DropAsync()
    {
        await using var connection = new MySqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        string user = new MySqlConnectionStringBuilder(SiloConnectionString).UserID;
        await MariaDbServer.ExecuteAsync(connection, $"DROP USER IF EXISTS '{user}'@'127.0.0.1'; DROP DATABASE `{Name}`;");
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new MySqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
