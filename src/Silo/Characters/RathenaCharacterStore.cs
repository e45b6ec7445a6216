using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using P2PCluster.Grains.Characters;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Silo.Characters;

/// <summary>
/// The database proxy's characters in rAthena's <c>char</c> table, with versions, idempotency keys and audit rows in the
/// <c>p2p_*</c> tables, through the coordinator's least-privilege user (sql/grants.sql, sql/grants_rathena.sql).
/// Writes are queued to one writer loop that commits whatever is queued (up to <see cref="MaxBatch"/>) as one
/// transaction (<see cref="CharacterBatch"/>) while the next batch queues; a caller is answered only after its batch commits.
/// The loop keeps its connection from one batch to the next while writes keep coming (taking a connection from the pool
/// costs a round trip to reset it), and gives it back to the pool when the queue runs dry or a batch fails.
/// </summary>
public sealed partial class RathenaCharacterStore : ICharacterStore, IAsyncDisposable
{
    /// <summary>Most writes in one transaction.</summary>
    public const int MaxBatch = 200;

    /// <summary>Attempts of a batch that hit a deadlock or lock-wait timeout (another coordinator holds the same rows).</summary>
    private const int Attempts = 3;

    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly Channel<PendingWrite> _queue;
    private readonly Task _writer;
    private MySqlConnection? _connection; // the writer loop's, between batches that follow each other

    /// <param name="queueCapacity">Writes that may wait; beyond it, writers wait for room (or their cancellation).</param>
    public RathenaCharacterStore(string connectionString, ILogger<RathenaCharacterStore>? logger = null, int queueCapacity = 10_000)
    {
        _connectionString = connectionString;
        _logger = logger ?? NullLogger<RathenaCharacterStore>.Instance;
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(queueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _writer = Task.Run(WriteLoopAsync);
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
            var data = new CharacterData(r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5), r.GetUInt64(6), r.GetUInt64(7),
                r.GetUInt32(8), r.GetInt32(9), r.GetInt32(10), r.GetInt32(11), r.GetInt32(12), r.GetInt32(13), r.GetInt32(14),
                r.GetUInt32(15), r.GetUInt32(16), r.GetUInt32(17), r.GetUInt32(18), r.GetUInt32(19), r.GetUInt32(20));
            return new StoredCharacter(charId, checked((int)r.GetUInt32(0)), data, r.GetInt64(21));
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            throw Unavailable(e);
        }
    }

    public async Task<WriteOutcome> WriteAsync(CharacterWrite write, CancellationToken cancellationToken = default)
    {
        CharacterWriteRules.Require(write);
        return await EnqueueAsync(PendingWrite.For(write, cancellationToken), cancellationToken);
    }

    public async Task AuditRefusedAsync(RefusedWrite refused, CancellationToken cancellationToken = default) =>
        await EnqueueAsync(PendingWrite.For(CharacterWriteRules.Fit(refused), cancellationToken), cancellationToken);

    /// <summary>Stops taking writes, commits (or fails) every write already queued, and ends the writer loop.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task<WriteOutcome> EnqueueAsync(PendingWrite pending, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(RathenaCharacterStore));
        }
        return await pending.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                if (pending.TryTake()) batch.Add(pending);
            if (batch.Count == 0) continue;
            await CommitAsync(batch);
            batch.Clear();
            if (_queue.Reader.Count == 0) await ReleaseConnectionAsync();
        }
        await ReleaseConnectionAsync();
    }

    private async Task<MySqlConnection> ConnectionAsync()
    {
        if (_connection is { State: ConnectionState.Open } open) return open;
        await ReleaseConnectionAsync(); // closed after a failed rollback
        var connection = new MySqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync();
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return _connection = connection;
    }

    private async Task ReleaseConnectionAsync()
    {
        if (_connection is null) return;
        await _connection.DisposeAsync();
        _connection = null;
    }

    /// <summary>Commits the batch, then answers its callers; on failure every one of them gets the failure, nothing is acknowledged.</summary>
    private async Task CommitAsync(List<PendingWrite> batch)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var plan = await CharacterBatch.CommitAsync(await ConnectionAsync(), batch, CancellationToken.None);
                for (int i = 0; i < batch.Count; i++)
                {
                    if (plan.Answers[i].Error is { } refused) batch[i].Fail(refused);
                    else batch[i].Complete(plan.Answers[i].Outcome);
                }
                return;
            }
            catch (MySqlException e) when (attempt < Attempts && IsContention(e))
            {
                LogRetry(_logger, batch.Count, attempt, e.ErrorCode);
            }
            catch (Exception e)
            {
                await ReleaseConnectionAsync(); // it may be broken: the next batch takes another
                LogBatchFailed(_logger, batch.Count, e.Message);
                // One exception per caller: each await rethrows it and writes its stack trace.
                foreach (var pending in batch)
                    pending.Fail(IsDatabaseFailure(e) ? Unavailable(e) : new InvalidOperationException("the character store failed", e));
                return;
            }
        }
    }

    /// <summary>
    /// Lock contention with another coordinator's batch: InnoDB rolled this one back (deadlock) or gave up waiting.
    /// A duplicate key is the same race on an idempotency key (a key reused for another character): the retry reads it.
    /// </summary>
    private static bool IsContention(MySqlException e) =>
        e.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout or MySqlErrorCode.DuplicateKeyEntry;

    private static bool IsDatabaseFailure(Exception e) => e is DbException or IOException or TimeoutException;

    /// <summary>A database that fails (down, missing tables, missing grants) is the cluster's StoreUnavailable, never a raw driver error.</summary>
    private static ClusterException Unavailable(Exception e) =>
        new(ClusterError.StoreUnavailable, e is MySqlException m
            ? $"the character database failed: {m.ErrorCode} ({m.Message})"
            : $"the character database failed: {e.Message}");

    [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "A batch of {Count} character writes hit lock contention (attempt {Attempt}, {Error}); retrying")]
    private static partial void LogRetry(ILogger logger, int count, int attempt, MySqlErrorCode error);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Error, Message = "A batch of {Count} character writes failed, none committed: {Reason}")]
    private static partial void LogBatchFailed(ILogger logger, int count, string reason);
}
