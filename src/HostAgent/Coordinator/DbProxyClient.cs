using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using P2PCluster.Client;
using P2PCluster.HostAgent.Maps;
using P2PCluster.HostAgent.Metrics;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Coordinator;

/// <summary>
/// The agent's one connection to the database proxy (<c>coordinator.db_proxy_port</c>): encrypted, identified with
/// the host's key, opened once the agent is connected at a gateway (<see cref="Connect"/>) and reopened with backoff
/// when it drops. Requests carry their own ids and many may be in flight; answers come in any order. A save or an
/// online flag carries a 16-byte key made once per call, and every retry of that call (after a dropped connection,
/// or a proxy that could not reach the database) sends the same key, so it applies once. Every call ends within
/// <c>AgentTimings.DbRequestTimeout</c>: the proxy's refusal, or Unavailable, as <see cref="RequestRefusedException"/>.
/// </summary>
public sealed partial class DbProxyClient(CoordinatorConnectionOptions options, AgentTimings timings, TimeProvider time, ILogger<DbProxyClient> logger)
    : ICharacterDatabase, IAsyncDisposable
{
    private sealed record Pending(Session Session, uint CharId, TaskCompletionSource<Answer?> Answer);

    /// <summary>DB_CHAR or DB_RESULT, as one shape (a result has no record).</summary>
    private readonly record struct Answer(ProtocolError Code, ulong Version, CharacterRecord Record);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(50), LastRetry = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<uint, Pending> _pending = new();
    private int _nextRequest;

    /// <summary>Whether a connection to the proxy is up right now.</summary>
    public bool Connected => Volatile.Read(ref _session) is not null;

    /// <summary>Where retries are counted (the metrics endpoint reads it).</summary>
    public AgentCounters Counters { get; init; } = new();

    public async Task<(CharacterRecord Record, ulong Version)> LoadAsync(uint charId, string map, ulong epoch, CancellationToken cancellationToken = default)
    {
        Require(charId, map, epoch);
        var answer = await CallAsync($"DB_LOAD_CHAR of char {charId}", charId,
            (connection, request, ct) => connection.SendAsync(new DbLoadCharPacket(request, charId, map, epoch), ct), cancellationToken);
        return (answer.Record, answer.Version);
    }

    public async Task<ulong> SaveAsync(uint charId, string map, ulong epoch, ulong expectedVersion, CharacterRecord record, CancellationToken cancellationToken = default)
    {
        Require(charId, map, epoch);
        if (expectedVersion > long.MaxValue) throw new RequestRefusedException(ProtocolError.Malformed, $"version {expectedVersion} is out of range");
        byte[] key = RandomNumberGenerator.GetBytes(DbSaveCharPacket.KeyLength); // one per save: its retries below reuse it
        var answer = await CallAsync($"DB_SAVE_CHAR of char {charId}", charId,
            (connection, request, ct) => connection.SendAsync(new DbSaveCharPacket(request, charId, map, epoch, expectedVersion, key, record), ct), cancellationToken);
        return answer.Version;
    }

    public async Task<ulong> SetOnlineAsync(uint charId, string map, ulong epoch, bool online, CancellationToken cancellationToken = default)
    {
        Require(charId, map, epoch);
        byte[] key = RandomNumberGenerator.GetBytes(DbSaveCharPacket.KeyLength);
        var answer = await CallAsync($"DB_SET_ONLINE {(online ? 1 : 0)} of char {charId}", charId,
            (connection, request, ct) => connection.SendAsync(new DbSetOnlinePacket(request, charId, map, epoch, online, key), ct), cancellationToken);
        return answer.Version;
    }

    /// <summary>What the proxy would close the connection over (Malformed) is refused here instead, before anything is sent.</summary>
    private static void Require(uint charId, string map, ulong epoch)
    {
        if (charId is 0 or > int.MaxValue || epoch is 0 or > long.MaxValue || !MapNames.IsValid(map))
            throw new RequestRefusedException(ProtocolError.Malformed, $"char {charId} on '{map}' under epoch {epoch} is not a valid database request");
    }

    /// <summary>
    /// Sends a request (with a fresh request id each time) until it is answered: again on the next connection when the
    /// one it went out on drops, and again after a short pause when the proxy answers that it could not decide.
    /// </summary>
    private async Task<Answer> CallAsync(string what, uint charId, Func<CoordinatorConnection, uint, CancellationToken, ValueTask> send, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        var pause = FirstRetry;
        string problem = "";
        var code = ProtocolError.Unavailable;
        int attempt = 0;
        while (true)
        {
            var remaining = timings.DbRequestTimeout - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
                throw new RequestRefusedException(code, $"{what}: no answer within {timings.DbRequestTimeout.TotalSeconds:0.###} s ({problem})");
            var session = await SessionAsync(remaining < timings.DbConnectWait ? remaining : timings.DbConnectWait, cancellationToken);
            if (session is null)
                throw new RequestRefusedException(ProtocolError.Unavailable, $"{what}: not connected to the database proxy ({LastFailure})");

            uint request = (uint)Interlocked.Increment(ref _nextRequest);
            var pending = new Pending(session, charId, new TaskCompletionSource<Answer?>(TaskCreationOptions.RunContinuationsAsynchronously));
            _pending[request] = pending;
            Answer? answer = null;
            try
            {
                // The session may have ended between SessionAsync and the registration, its waiting requests already swept.
                if (Volatile.Read(ref _session) == session)
                {
                    if (attempt++ > 0) Counters.DbProxyRetry();
                    await send(session.Connection, request, cancellationToken);
                    var left = timings.DbRequestTimeout - time.GetElapsedTime(started);
                    answer = await pending.Answer.Task.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, time, cancellationToken);
                }
            }
            catch (TimeoutException)
            {
                throw new RequestRefusedException(ProtocolError.Unavailable, $"{what}: no answer within {timings.DbRequestTimeout.TotalSeconds:0.###} s");
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested
                && e is ProtocolException or IOException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                End(session, $"a send failed: {e.Message}");
            }
            finally
            {
                _pending.TryRemove(request, out _);
            }

            if (answer is not { } a)
            {
                problem = "the connection to the database proxy was lost";
                continue;
            }
            if (a.Code == ProtocolError.None) return a;
            if (!ICharacterDatabase.IsTransient(a.Code)) throw new RequestRefusedException(a.Code, $"the database proxy refused {what}");
            (code, problem) = (a.Code, $"the proxy answered {ErrorNames.Describe(a.Code)}");
            remaining = timings.DbRequestTimeout - time.GetElapsedTime(started);
            await Task.Delay(pause < remaining ? pause : remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time, cancellationToken);
            pause = pause * 2 < LastRetry ? pause * 2 : LastRetry;
        }
    }

    /// <summary>Hands DB_CHAR / DB_RESULT to the request waiting for it on that session.</summary>
    private void Complete(Session session, uint request, uint charId, Answer answer)
    {
        if (!_pending.TryGetValue(request, out var pending) || pending.Session != session || pending.CharId != charId
            || !_pending.TryRemove(new(request, pending)))
        {
            LogLateAnswer(logger, request, charId, ErrorNames.Describe(answer.Code));
            return;
        }
        pending.Answer.TrySetResult(answer);
    }

    /// <summary>The requests waiting on <paramref name="session"/> go again on the next one.</summary>
    private void Sweep(Session session)
    {
        foreach (var (request, pending) in _pending)
            if (pending.Session == session && _pending.TryRemove(new(request, pending)))
                pending.Answer.TrySetResult(null);
    }
}
