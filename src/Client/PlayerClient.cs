using System.Net;
using P2PCluster.Protocol;

namespace P2PCluster.Client;

/// <summary>
/// The reference game-client side of the coordinator (what a launcher or a WARP-patched client embeds): log in,
/// resolve a map into a host endpoint and ticket, and enter the map on that host (<see cref="MapConnection"/>).
/// One request at a time per client.
/// </summary>
public sealed class PlayerClient : IAsyncDisposable
{
    private readonly CoordinatorConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private uint _nextRequest;

    private PlayerClient(CoordinatorConnection connection) => _connection = connection;

    public CoordinatorConnection Connection => _connection;

    /// <summary>The account after <see cref="LoginAsync"/>, else 0.</summary>
    public uint AccountId { get; private set; }

    /// <summary>How often a player client PINGs the coordinator by default, well inside the gateway's default 60 s idle limit.</summary>
    public static readonly TimeSpan DefaultKeepAlive = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Connects as a game client. The session is kept open with a PING every <paramref name="keepAlive"/>
    /// (<see cref="DefaultKeepAlive"/>), so a player on a map still has it when it next needs the coordinator.
    /// </summary>
    public static async Task<PlayerClient> ConnectAsync(EndPoint coordinator, IReadOnlyList<byte[]> coordinatorKeys, CancellationToken cancellationToken = default,
        TimeSpan? keepAlive = null)
    {
        var connection = await CoordinatorConnection.ConnectAsync(coordinator,
            // PreferFirstKey: a client pinning the old key keeps getting in through a key switch, for the old key's grace.
            new CoordinatorConnectionOptions { CoordinatorKeys = coordinatorKeys, Role = PeerRole.GameClient, KeepAlive = keepAlive ?? DefaultKeepAlive, PreferFirstKey = true },
            cancellationToken);
        return new PlayerClient(connection);
    }

    /// <summary>
    /// Connects as a game client that learns the coordinator's key set into <paramref name="trust"/> (and its file), so
    /// a routine key rotation never needs the pinned key edited: the way a launcher should connect.
    /// </summary>
    public static async Task<PlayerClient> ConnectAsync(EndPoint coordinator, CoordinatorTrust trust, CancellationToken cancellationToken = default,
        TimeSpan? keepAlive = null) =>
        new(await CoordinatorConnection.ConnectAsync(coordinator, trust.Options(PeerRole.GameClient, keepAlive ?? DefaultKeepAlive), cancellationToken));

    /// <summary>Logs in; <see cref="RequestRefusedException"/> on wrong credentials or a blocked account.</summary>
    public async Task<LoginOkPacket> LoginAsync(string userId, string password, CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync(new LoginPacket(userId, password), 0, cancellationToken);
        if (!reply.TryRead(out LoginOkPacket ok)) throw Unexpected(reply);
        AccountId = ok.AccountId;
        return ok;
    }

    /// <summary>Where <paramref name="charId"/> may play <paramref name="map"/> now: the host's endpoint and a ticket.</summary>
    public async Task<RoutePacket> ResolveAsync(uint charId, string map, CancellationToken cancellationToken = default)
    {
        uint request = Interlocked.Increment(ref _nextRequest);
        var reply = await RequestAsync(new ResolvePacket(request, charId, map), request, cancellationToken);
        if (!reply.TryRead(out RoutePacket route)) throw Unexpected(reply);
        return route;
    }

    /// <summary>
    /// Reports that <paramref name="route"/> could not be entered; the answer is a new route (another host once the map
    /// has moved, or the same host if the cluster still counts it as serving the map).
    /// </summary>
    public async Task<RoutePacket> ReportUnreachableAsync(uint charId, RouteInfo route, CancellationToken cancellationToken = default)
    {
        uint request = Interlocked.Increment(ref _nextRequest);
        var reply = await RequestAsync(new ReportUnreachablePacket(request, charId, route.Map, route.HostId, route.Epoch), request, cancellationToken);
        if (!reply.TryRead(out RoutePacket next)) throw Unexpected(reply);
        return next;
    }

    /// <summary>Tells the coordinator the round trips this client measured to hosts (placement prefers nearby hosts).</summary>
    public async Task ReportLatencyAsync(IReadOnlyList<HostLatency> hosts, CancellationToken cancellationToken = default) =>
        await _connection.SendAsync(new LatencyReportPacket(hosts), cancellationToken);

    private async Task<ReceivedPacket> RequestAsync<T>(T packet, uint request, CancellationToken cancellationToken) where T : IPacket<T>
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await _connection.SendAsync(packet, cancellationToken);
            while (true)
            {
                ReceivedPacket reply;
                try
                {
                    reply = await _connection.Incoming.ReadAsync(cancellationToken);
                }
                catch (System.Threading.Channels.ChannelClosedException)
                {
                    await _connection.Completion; // throws the coordinator's ERROR, if it sent one
                    throw new ProtocolException(ProtocolError.Truncated, "the coordinator closed the connection");
                }
                if (reply.Id == (ushort)PacketId.Refused && reply.TryRead(out RefusedPacket refused))
                {
                    if (refused.RequestId == request) throw new RequestRefusedException(refused.Code, refused.Message);
                    continue;
                }
                if (reply.Id == (ushort)PacketId.LoginOk && request == 0) return reply;
                if (reply.Id == (ushort)PacketId.Route && reply.TryRead(out RoutePacket route) && route.RequestId == request) return reply;
                // Anything else (a late answer to a cancelled request) is not for this call.
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static ProtocolException Unexpected(ReceivedPacket reply) =>
        new(ProtocolError.Malformed, $"unexpected answer 0x{reply.Id:X4} from the coordinator");

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _gate.Dispose();
    }
}
