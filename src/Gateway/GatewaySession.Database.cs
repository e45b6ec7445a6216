using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// The database proxy's side of a session (<c>coordinator.db_proxy_port</c>, docs/database-proxy.md): host agents
/// only, a fixed set of typed operations, each checked by the character's session grain. Requests run concurrently
/// (up to <see cref="MaxDbInFlight"/> per connection) and are answered as they commit, each with its request id.
/// </summary>
public sealed partial class GatewaySession
{
    /// <summary>Requests of one connection under way at once; a host that sends more waits for one to finish.</summary>
    public const int MaxDbInFlight = 256;

    private string? _proxyHostId;
    private SemaphoreSlim? _dbSlots;
    private int _dbInFlight;
    private readonly TaskCompletionSource _dbDrained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The proxy admits a host agent that is connected at the coordinator port (its grain counts it live) with the same key.</summary>
    private async ValueTask<bool> IdentifyProxyHostAsync(IdentifyPacket identify)
    {
        if (_handshake.Role != PeerRole.HostAgent || identify.Type != IdentityType.Ed25519)
            return await FailAsync(ProtocolError.IdentityRejected, "the database proxy serves host agents only, identified by their Ed25519 key");
        string hostId = HandshakeCrypto.HostId(identify.PublicKey.Span);
        try
        {
            var host = await context.Grains.GetGrain<IHostGrain>(hostId).GetAsync();
            if (host.PublicKey is null || !host.PublicKey.AsSpan().SequenceEqual(identify.PublicKey.Span))
                return await FailAsync(ErrorMapping.ToProtocol(ClusterError.IdentityMismatch), $"host {hostId} is not known to the cluster");
            if (host.Status is not (HostStatus.Online or HostStatus.Draining))
                return await FailAsync(ErrorMapping.ToProtocol(ClusterError.HostDeclaredDead),
                    $"host {hostId} is {host.Status}: connect at the coordinator port first");
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return await FailAsync(ProtocolError.Unavailable, "the cluster did not answer; retry later");
        }
        _proxyHostId = hostId;
        _dbSlots = new SemaphoreSlim(MaxDbInFlight, MaxDbInFlight);
        // One proxy session per host key, as at the gateway port: the older one closes once its requests are answered.
        if (ClaimHost(hostId) is { } previous) _ = previous.ReplaceAsync(hostId);
        return true;
    }

    private async ValueTask<bool> OnDbRequestAsync(Frame frame)
    {
        uint request, charId;
        Func<Task<object>> call;
        switch ((PacketId)frame.Id)
        {
            case PacketId.DbLoadChar when FrameCodec.TryRead(frame, out DbLoadCharPacket load) && Names.IsValidMapName(load.Map) && Fits(load.CharId, load.Epoch):
                (request, charId) = (load.RequestId, load.CharId);
                call = async () => await Session(load.CharId).LoadCharacterAsync(_proxyHostId!, load.Map, (long)load.Epoch);
                break;
            case PacketId.DbSaveChar when FrameCodec.TryRead(frame, out DbSaveCharPacket save) && Names.IsValidMapName(save.Map) && Fits(save.CharId, save.Epoch)
                                           && save.ExpectedVersion <= long.MaxValue:
                (request, charId) = (save.RequestId, save.CharId);
                var data = CharacterWire.FromRecord(save.Record);
                call = async () => await Session(save.CharId).SaveCharacterAsync(_proxyHostId!, save.Map, (long)save.Epoch, (long)save.ExpectedVersion, save.Key, data);
                break;
            case PacketId.DbSetOnline when FrameCodec.TryRead(frame, out DbSetOnlinePacket online) && Names.IsValidMapName(online.Map) && Fits(online.CharId, online.Epoch):
                (request, charId) = (online.RequestId, online.CharId);
                call = async () => await Session(online.CharId).SetOnlineAsync(_proxyHostId!, online.Map, (long)online.Epoch, online.Online, online.Key);
                break;
            default:
                return await FailAsync(ProtocolError.Malformed, $"malformed database request 0x{frame.Id:X4}");
        }

        await _dbSlots!.WaitAsync();
        Interlocked.Increment(ref _dbInFlight);
        _ = AnswerAsync((PacketId)frame.Id, request, charId, call);
        return true;
    }

    private static bool Fits(uint charId, ulong epoch) => charId <= int.MaxValue && epoch <= long.MaxValue;

    private IPlayerSessionGrain Session(uint charId) => context.Grains.GetGrain<IPlayerSessionGrain>((long)charId);

    private async Task AnswerAsync(PacketId id, uint request, uint charId, Func<Task<object>> call)
    {
        long started = GatewayMetrics.Now();
        try
        {
            ProtocolError code = ProtocolError.None;
            object? result = null;
            try
            {
                result = await call();
            }
            catch (ClusterException e)
            {
                code = ErrorMapping.ToProtocol(e.Code);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                code = ProtocolError.Unavailable;
            }
            // Counted as decided, whether or not the answer still reaches the host.
            if (id == PacketId.DbSaveChar) context.Metrics.DbSave(code, started);
            if (_closeRequested)
            {
                // The session was closed with an ERROR (replaced by a newer one): nothing follows an ERROR. The write
                // has committed or not; its key recognises the agent's retry on its new session.
            }
            else if (id == PacketId.DbLoadChar)
            {
                var load = result as CharacterLoad;
                await _frames.SendAsync(load is null
                    ? new DbCharPacket(request, charId, code)
                    : new DbCharPacket(request, charId, ProtocolError.None, (ulong)load.Version, CharacterWire.ToRecord(load.Data)));
            }
            else
            {
                await _frames.SendAsync(new DbResultPacket(request, charId, code, result is long version ? (ulong)version : 0));
            }
            context.Metrics.DbRequest(code == ProtocolError.None);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            // The host went away before its answer: the write, if it committed, is in the database and its key will
            // recognise the retry.
        }
        finally
        {
            _dbSlots!.Release();
            if (Interlocked.Decrement(ref _dbInFlight) == 0 && _closing) _dbDrained.TrySetResult();
        }
    }

    private volatile bool _closing;

    /// <summary>At the end of a session: requests already started finish (and commit) before the connection's writer is completed.</summary>
    private async Task DrainDbRequestsAsync()
    {
        if (_dbSlots is null) return;
        _closing = true;
        if (Volatile.Read(ref _dbInFlight) == 0) return;
        try
        {
            await _dbDrained.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // The store is stuck; the writes still under way answer nobody, and their keys recognise the retries.
        }
    }
}
