using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using P2PCluster.Grains.Characters;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Silo.Characters;

/// <summary>
/// The database proxy's characters in rAthena's <c>char</c> table, with versions, idempotency keys and audit rows in the
/// <c>p2p_*</c> tables, through the coordinator's least-privilege user (sql/grants.sql, sql/grants_rathena.sql).
/// Writes are queued to <see cref="Writers"/> writer loops (<see cref="CharacterWriter"/>), a character always to the
/// same one, so one character's writes commit in the order they were queued while batches of other characters commit
/// beside them; a caller is answered only after its batch commits.
/// </summary>
public sealed class RathenaCharacterStore : ICharacterStore, IAsyncDisposable
{
    /// <summary>Most writes in one transaction.</summary>
    public const int MaxBatch = 200;

    /// <summary>
    /// Writer loops by default. One loop commits one batch at a time, so the proxy's saves per second were bounded by
    /// how long a batch takes while the database and the silo had CPU to spare (docs/benchmarks.md, scenario dbproxy).
    /// Batches of two loops hold disjoint characters, so they never wait for each other's row locks.
    /// </summary>
    public const int Writers = 2;

    private readonly string _connectionString;
    private readonly CharacterWriter[] _writers;

    /// <param name="queueCapacity">Writes that may wait, per writer loop; beyond it, writers wait for room (or their cancellation).</param>
    /// <param name="writers">Writer loops (<see cref="Writers"/> by default).</param>
    public RathenaCharacterStore(string connectionString, ILogger<RathenaCharacterStore>? logger = null, int queueCapacity = 10_000, int writers = Writers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        _connectionString = connectionString;
        ILogger log = logger ?? NullLogger<RathenaCharacterStore>.Instance;
        _writers = [.. Enumerable.Range(0, writers).Select(_ => new CharacterWriter(connectionString, log, queueCapacity))];
    }

    private const string LoadSql = """
        SELECT c.account_id, c.last_map, c.last_x, c.last_y, c.base_level, c.job_level, c.base_exp, c.job_exp, c.zeny,
               c.str, c.agi, c.vit, c.`int`, c.dex, c.luk, c.status_point, c.skill_point, c.hp, c.max_hp, c.sp, c.max_sp,
               COALESCE(v.version, 0)
        FROM `char` c LEFT JOIN p2p_char_version v ON v.char_id = c.char_id
        WHERE c.char_id = @char
        """;

    public async Task<StoredCharacter?> LoadAsync(int charId, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new MySqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new MySqlCommand(LoadSql, connection);
            command.Parameters.AddWithValue("@char", charId);
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            if (!await r.ReadAsync(cancellationToken)) return null;
            var data = new CharacterSnapshot(r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5), r.GetUInt64(6), r.GetUInt64(7),
                r.GetUInt32(8), Hp: r.GetUInt32(17), Sp: r.GetUInt32(19),
                Str: r.GetInt32(9), Agi: r.GetInt32(10), Vit: r.GetInt32(11), Int: r.GetInt32(12), Dex: r.GetInt32(13), Luk: r.GetInt32(14),
                StatusPoint: r.GetUInt32(15), SkillPoint: r.GetUInt32(16), MaxHp: r.GetUInt32(18), MaxSp: r.GetUInt32(20));
            return new StoredCharacter(charId, checked((int)r.GetUInt32(0)), r.GetString(1), data, r.GetInt64(21));
        }
        catch (Exception e) when (CharacterWriter.IsDatabaseFailure(e))
        {
            throw CharacterWriter.Unavailable(e);
        }
    }

    public async Task<WriteOutcome> WriteAsync(CharacterWrite write, CancellationToken cancellationToken = default)
    {
        CharacterWriteRules.Require(write);
        return await WriterOf(write.CharId).EnqueueAsync(PendingWrite.For(write, cancellationToken), cancellationToken);
    }

    public async Task AuditRefusedAsync(RefusedWrite refused, CancellationToken cancellationToken = default)
    {
        var fitted = CharacterWriteRules.Fit(refused);
        await WriterOf(fitted.CharId).EnqueueAsync(PendingWrite.For(fitted, cancellationToken), cancellationToken);
    }

    /// <summary>Stops taking writes, commits (or fails) every write already queued, and ends the writer loops.</summary>
    public async ValueTask DisposeAsync() => await Task.WhenAll(_writers.Select(w => w.CompleteAsync()));

    private CharacterWriter WriterOf(int charId) => _writers[(int)((uint)charId % (uint)_writers.Length)];
}
