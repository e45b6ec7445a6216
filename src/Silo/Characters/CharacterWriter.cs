using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using P2PCluster.Grains.Characters;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Silo.Characters;

/// <summary>
/// One writer loop of <see cref="RathenaCharacterStore"/>: it commits whatever is queued (up to
/// <see cref="RathenaCharacterStore.MaxBatch"/>) as one transaction (<see cref="CharacterBatch"/>) while the next batch
/// queues, and answers a caller only after its batch commits. It keeps its connection from one batch to the next while
/// writes keep coming (taking a connection from the pool costs a round trip to reset it), and gives it back to the pool
/// when its queue runs dry or a batch fails.
/// </summary>
internal sealed partial class CharacterWriter
{
    /// <summary>Attempts of a batch that hit a deadlock or lock-wait timeout (another coordinator holds the same rows).</summary>
    private const int Attempts = 3;

    private readonly string _connectionString;
    private readonly ILogger _logger;
    private readonly Channel<PendingWrite> _queue;
    private readonly Task _loop;
    private MySqlConnection? _connection; // between batches that follow each other

    public CharacterWriter(string connectionString, ILogger logger, int queueCapacity)
    {
        _connectionString = connectionString;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(queueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _loop = Task.Run(WriteLoopAsync);
    }

    public async Task<WriteOutcome> EnqueueAsync(PendingWrite pending, CancellationToken cancellationToken)
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

    /// <summary>Stops taking writes, commits (or fails) every write already queued, and ends the loop.</summary>
    public async Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(RathenaCharacterStore.MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < RathenaCharacterStore.MaxBatch && _queue.Reader.TryRead(out var pending))
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

    public static bool IsDatabaseFailure(Exception e) => e is DbException or IOException or TimeoutException;

    /// <summary>A database that fails (down, missing tables, missing grants) is the cluster's StoreUnavailable, never a raw driver error.</summary>
    public static ClusterException Unavailable(Exception e) =>
        new(ClusterError.StoreUnavailable, e is MySqlException m
            ? $"the character database failed: {m.ErrorCode} ({m.Message})"
            : $"the character database failed: {e.Message}");

    [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "A batch of {Count} character writes hit lock contention (attempt {Attempt}, {Error}); retrying")]
    private static partial void LogRetry(ILogger logger, int count, int attempt, MySqlErrorCode error);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Error, Message = "A batch of {Count} character writes failed, none committed: {Reason}")]
    private static partial void LogBatchFailed(ILogger logger, int count, string reason);
}
