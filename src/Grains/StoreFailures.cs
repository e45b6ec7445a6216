using System.Data.Common;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// Recognises a database failure — a provider's <see cref="DbException"/>, or our StoreUnavailable that Orleans'
/// storage bridge wrapped in an <see cref="OrleansException"/> — and gives it as our serializable
/// <see cref="ClusterException"/> with <see cref="ClusterError.StoreUnavailable"/>. A provider's exception type must
/// never cross a grain call: Orleans has no codec for it, and the caller got <c>CodecNotFoundException</c> instead of an
/// error it could act on.
/// </summary>
public static class StoreFailures
{
    /// <summary>Causes followed at most, so a cyclic or very deep chain cannot loop.</summary>
    private const int MaxDepth = 16;

    /// <summary>
    /// The StoreUnavailable to throw instead of <paramref name="exception"/>, or null when it is not a database failure
    /// or is already our own exception (which leaves as it is).
    /// </summary>
    public static ClusterException? AsStoreUnavailable(Exception exception)
    {
        if (exception is ClusterException) return null;
        var pending = new Queue<Exception>();
        pending.Enqueue(exception);
        for (int seen = 0; seen < MaxDepth && pending.TryDequeue(out var e); seen++)
        {
            if (e is ClusterException { Code: ClusterError.StoreUnavailable } ours) return new ClusterException(ours.Code, ours.Message);
            if (e is DbException db) return Unavailable(db);
            if (e is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions) pending.Enqueue(inner);
            else if (e.InnerException is { } cause) pending.Enqueue(cause);
        }
        return null;
    }

    /// <summary>The cluster's error for a failed database: retry later. The message names the failure, never a stack trace.</summary>
    public static ClusterException Unavailable(DbException failure, string what = "the database") =>
        new(ClusterError.StoreUnavailable, $"{what} failed: {failure.Message}");
}
