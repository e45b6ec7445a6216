using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>
/// The database proxy's side of a session (<c>coordinator.db_proxy_port</c>, docs/database-proxy.md): requests run
/// concurrently (up to <see cref="MaxInFlight"/> per connection), each checked by the character's session grain, and
/// are answered as they commit, each with its request id.
/// </summary>
public sealed class DbRequests(GatewaySession session, string hostId)
{
    /// <summary>Requests of one connection under way at once; a host that sends more waits for one to finish.</summary>
    public const int MaxInFlight = 256;

    private readonly SemaphoreSlim _slots = new(MaxInFlight, MaxInFlight);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private volatile bool _closing;

    /// <summary>The host agent this proxy session serves (its key was checked at IDENTIFY).</summary>
    public string HostId { get; } = hostId;

    /// <summary>The character's session grain, which checks every request (kept per connection: a host saves the same players again and again).</summary>
    public IPlayerSessionGrain Session(uint charId) => session.Characters.Get(charId);

    /// <summary>Starts <paramref name="call"/> once a slot is free; its answer is sent when it completes.</summary>
    public async ValueTask<bool> StartAsync(PacketId id, uint request, uint charId, Func<Task<object>> call)
    {
        await _slots.WaitAsync();
        Interlocked.Increment(ref _inFlight);
        _ = AnswerAsync(id, request, charId, call);
        return true;
    }

    private async Task AnswerAsync(PacketId id, uint request, uint charId, Func<Task<object>> call)
    {
        long started = GatewayMetrics.Now();
        var metrics = session.Context.Metrics;
        try
        {
            ProtocolError code = ProtocolError.None;
            object? result = null;
            try
            {
                result = await call();
            }
            catch (Exception e) when (GrainFailure.From(e) is { } failure)
            {
                code = failure.Code;
            }
            // Counted as decided, whether or not the answer still reaches the host.
            if (id == PacketId.DbSaveChar) metrics.DbSave(code, started);
            if (session.CloseRequested)
            {
                // The session was closed with an ERROR (replaced by a newer one): nothing follows an ERROR. The write
                // has committed or not; its key recognises the agent's retry on its new session.
            }
            else if (id == PacketId.DbLoadChar)
            {
                await session.SendAsync(result is CharacterLoad load
                    ? new DbCharPacket(request, charId, ProtocolError.None, (ulong)load.Version, CharacterWire.ToRecord(load.Data))
                    : new DbCharPacket(request, charId, code));
            }
            else
            {
                await session.SendAsync(new DbResultPacket(request, charId, code, result is long version ? (ulong)version : 0));
            }
            metrics.DbRequest(code == ProtocolError.None);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            // The host went away before its answer: the write, if it committed, is in the database and its key will
            // recognise the retry.
        }
        finally
        {
            _slots.Release();
            if (Interlocked.Decrement(ref _inFlight) == 0 && _closing) _drained.TrySetResult();
        }
    }

    /// <summary>At the end of a session: requests already started finish (and commit) before the connection's writer is completed.</summary>
    public async Task DrainAsync()
    {
        _closing = true;
        if (Volatile.Read(ref _inFlight) == 0) return;
        try
        {
            await _drained.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // The store is stuck; the writes still under way answer nobody, and their keys recognise the retries.
        }
    }
}
