using System.Diagnostics;
using System.Globalization;
using System.Text;
using MySqlConnector;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// The baseline of scenario <c>dbproxy</c>: the same characters' rows written with no proxy at all, as plain multi-row
/// <c>INSERT … ON DUPLICATE KEY UPDATE</c> statements (autocommit) into <see cref="Table"/>, a copy of <c>char</c>,
/// from several MySqlConnector connections. Connection <c>c</c> owns a contiguous share of the characters and writes
/// them <c>batch</c> at a time, round and round, with values that change as the proxy's saves do.
/// </summary>
public sealed class BaselineWriter : IAsyncDisposable
{
    public const string Table = "dbproxy_baseline";

    /// <summary>The columns each row sets: the key and the columns without a default (for the INSERT half), then the 20 the proxy saves.</summary>
    private static readonly string[] Columns =
    [
        "char_id", "account_id", "name", "sex",
        "last_map", "last_x", "last_y", "base_level", "job_level", "base_exp", "job_exp", "zeny", "str", "agi", "vit", "int", "dex", "luk",
        "status_point", "skill_point", "hp", "max_hp", "sp", "max_sp",
    ];

    private readonly MySqlConnection[] _connections;
    private readonly Writer[] _writers;
    private long _rows;

    private sealed class Writer(SavedCharacter[] share, int index)
    {
        public readonly SavedCharacter[] Share = share;
        public readonly Random Random = new(index * 104729 + 3);
        public readonly StringBuilder Sql = new();
        public readonly LatencyHistogram Latencies = new(); // one per writer: one writer each
        public int Next;
    }

    private BaselineWriter(MySqlConnection[] connections, Writer[] writers)
    {
        _connections = connections;
        _writers = writers;
    }

    public int Batch { get; private init; }

    /// <summary>Rows written so far (each statement's rows count once it returns).</summary>
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Latency of each statement (one batch), in µs, all writers together.</summary>
    public LatencyHistogram Latencies()
    {
        var sum = new LatencyHistogram();
        foreach (var w in _writers) sum.Add(w.Latencies);
        return sum;
    }

    public int Connections => _connections.Length;

    /// <summary>Opens <paramref name="connections"/> connections; the characters are shared out between them in contiguous runs.</summary>
    public static async Task<BaselineWriter> OpenAsync(string connectionString, SavedCharacter[] characters, int connections, int batch, CancellationToken cancellationToken)
    {
        var open = new MySqlConnection[connections];
        var builder = new MySqlConnectionStringBuilder(connectionString) { Pooling = false };
        for (int c = 0; c < connections; c++)
        {
            open[c] = new MySqlConnection(builder.ConnectionString);
            await open[c].OpenAsync(cancellationToken);
        }
        var writers = new Writer[connections];
        for (int c = 0; c < connections; c++)
        {
            int from = (int)((long)characters.Length * c / connections), to = (int)((long)characters.Length * (c + 1) / connections);
            writers[c] = new Writer(characters[from..to], c);
        }
        return new BaselineWriter(open, writers) { Batch = batch };
    }

    /// <summary>Connection <paramref name="c"/> writes batch after batch until <paramref name="stop"/>; the statement under way finishes.</summary>
    public async Task WriteUntilAsync(int c, CancellationToken stop)
    {
        var w = _writers[c];
        await using var command = _connections[c].CreateCommand();
        while (!stop.IsCancellationRequested)
        {
            int rows = Math.Min(Batch, w.Share.Length);
            Build(w, rows);
            command.CommandText = w.Sql.ToString();
            long sent = Stopwatch.GetTimestamp();
            await command.ExecuteNonQueryAsync(CancellationToken.None);
            w.Latencies.Record(Stopwatch.GetElapsedTime(sent));
            Interlocked.Add(ref _rows, rows);
        }
    }

    private static void Build(Writer w, int rows)
    {
        var sql = w.Sql.Clear();
        sql.Append("INSERT INTO ").Append(Table).Append(" (`").AppendJoin("`, `", Columns).Append("`) VALUES ");
        for (int r = 0; r < rows; r++)
        {
            var c = w.Share[w.Next];
            w.Next = (w.Next + 1) % w.Share.Length;
            // The baseline's own copy of the values: the proxy's windows keep SavedCharacter.Record for their checks.
            CharacterRecord d = c.Next(w.Random);
            if (r > 0) sql.Append(", ");
            sql.Append(CultureInfo.InvariantCulture,
                $"({c.CharId}, {c.AccountId}, '{Name(c.CharId)}', 'M', '{c.Map}', {d.X}, {d.Y}, {d.BaseLevel}, {d.JobLevel}, {d.BaseExp}, {d.JobExp}, {d.Zeny}, " +
                $"{d.Str}, {d.Agi}, {d.Vit}, {d.Int}, {d.Dex}, {d.Luk}, {d.StatusPoint}, {d.SkillPoint}, {d.Hp}, {d.MaxHp}, {d.Sp}, {d.MaxSp})");
        }
        sql.Append(" ON DUPLICATE KEY UPDATE ").AppendJoin(", ", Columns.Skip(4).Select(col => $"`{col}` = VALUES(`{col}`)"));
    }

    /// <summary>The seeded character name of <paramref name="charId"/> (unique in <c>char</c>, so the copy's rows are the same rows).</summary>
    public static string Name(int charId) => string.Create(CultureInfo.InvariantCulture, $"Dbp{charId}");

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections) await connection.DisposeAsync();
    }
}
