using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using P2PCluster.Client;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// A host agent as the gateway sees it, without map processes: its own Ed25519 identity, the real handshake, one
/// HOST_CAPACITY, a HEARTBEAT every interval listing its maps with their epochs, MAP_STATE Running (a fake port)
/// for every ASSIGN_MAP and MAP_STATE Stopped for every REVOKE_MAP, with the epoch fencing of docs/protocol.md.
/// It records when each ASSIGN_MAP arrived and each heartbeat's round trip to its HEARTBEAT_ACK. It can be
/// killed (reset, no BYE), frozen (socket left open, nothing sent, input ignored) and revived (a restarted agent
/// that runs nothing), and can redial by itself when the gateway goes away.
/// </summary>
public sealed class SimulatedHost : IAsyncDisposable
{
    private static readonly TimeSpan MaxRedialDelay = TimeSpan.FromSeconds(10);
    private readonly SimulatedHostOptions _options;
    private readonly byte[] _seed = RandomNumberGenerator.GetBytes(32);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ulong> _maps = new(StringComparer.Ordinal); // guarded by _lock
    private readonly Dictionary<uint, long> _pending = []; // heartbeat sequence → sent; guarded by _lock
    private readonly List<(long Sent, long Acked)> _acks = []; // guarded by _lock
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal); // failed attempts by kind; guarded by _lock
    private readonly CancellationTokenSource _disposed = new();
    private HostSession? _session;
    private CancellationTokenSource? _sessionEnd;
    private Task _supervisor = Task.CompletedTask;
    private volatile bool _halted; // killed or frozen: no heartbeats, no answers, no redial
    private uint _sequence;
    private long _firstAck;

    public SimulatedHost(SimulatedHostOptions options, ushort port)
    {
        _options = options;
        Port = port;
        using var identity = SigningIdentity.FromSeed(_seed);
        HostId = HandshakeCrypto.HostId(identity.PublicKey);
    }

    /// <summary>The id the cluster derives from this host's key.</summary>
    public string HostId { get; }

    /// <summary>The port this host's fake map instances "listen" on (in IDENTIFY's endpoint and MAP_STATE).</summary>
    public ushort Port { get; }

    public bool IsHalted => _halted;

    /// <summary>Sessions established so far (1 after the first connect; more after redials or revivals).</summary>
    public int Sessions { get; private set; }

    /// <summary>Connect or handshake attempts that failed while redialling.</summary>
    public int FailedAttempts { get; private set; }

    /// <summary>Failed attempts by kind (<c>ServerBusy</c>, <c>HandshakeTimeout</c>, <c>connect ConnectionRefused</c>, …), and sessions ended by an invalid frame.</summary>
    public Dictionary<string, int> Failures()
    {
        lock (_lock) return new Dictionary<string, int>(_failures, StringComparer.Ordinal);
    }

    /// <summary>The last ERROR the gateway sent, or why the last attempt failed.</summary>
    public string? LastError { get; private set; }

    /// <summary>When the current session's TCP connection was accepted (<see cref="Stopwatch"/> timestamp, 0 if none).</summary>
    public long ConnectedAt { get; private set; }

    /// <summary>When the current session's first HEARTBEAT_ACK arrived (0 until then).</summary>
    public long FirstAckAt => Interlocked.Read(ref _firstAck);

    /// <summary>The maps this host runs, with their epochs.</summary>
    public Dictionary<string, ulong> Maps()
    {
        lock (_lock) return new Dictionary<string, ulong>(_maps, StringComparer.Ordinal);
    }

    /// <summary>Connects (throws if the gateway refuses), sends HOST_CAPACITY and starts heartbeating.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var session = await HostSession.OpenAsync(_options, _seed, $"127.0.0.1:{Port}", cancellationToken);
        _supervisor = SuperviseAsync(session);
    }

    /// <summary>
    /// A second connection with this host's identity, to the database proxy at <paramref name="proxy"/> (the same
    /// handshake; the proxy admits a host only while it is connected at the coordinator port).
    /// </summary>
    public Task<HostSession> OpenProxyAsync(System.Net.IPEndPoint proxy, CancellationToken cancellationToken) =>
        HostSession.OpenAsync(_options with { Gateway = proxy }, _seed, $"127.0.0.1:{Port}", cancellationToken);

    /// <summary>Kills the host: the connection is reset at once and nothing more is sent or read.</summary>
    public void Kill()
    {
        _halted = true;
        _session?.Abort();
    }

    /// <summary>Freezes the host, as SIGSTOP would: the socket stays open, nothing is sent, what arrives is ignored.</summary>
    public void Freeze() => _halted = true;

    /// <summary>Brings a killed or frozen host back as a restarted agent: a new connection, no maps running.</summary>
    public async Task ReviveAsync(CancellationToken cancellationToken)
    {
        _session?.Abort();
        _sessionEnd?.Cancel(); // a frozen host is not reading: wake it so its session ends
        await _supervisor;
        lock (_lock)
        {
            _maps.Clear();
            _pending.Clear();
        }
        _halted = false;
        await ConnectAsync(cancellationToken);
    }

    /// <summary>Heartbeat round trips (milliseconds) of the heartbeats sent in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public void CollectLatencies(long from, long to, List<double> into)
    {
        lock (_lock)
        {
            foreach (var (sent, acked) in _acks)
                if (sent >= from && sent < to) into.Add(Stopwatch.GetElapsedTime(sent, acked).TotalMilliseconds);
        }
    }

    /// <summary>The heartbeats sent in [<paramref name="from"/>, <paramref name="to"/>) and acknowledged: when each was sent and its ack arrived.</summary>
    public void CollectAcks(long from, long to, List<(long Sent, long Acked)> into)
    {
        lock (_lock)
        {
            foreach (var ack in _acks)
                if (ack.Sent >= from && ack.Sent < to) into.Add(ack);
        }
    }

    /// <summary>Heartbeats sent in [<paramref name="from"/>, <paramref name="to"/>) that were never acknowledged (the session ended first).</summary>
    public int Unanswered(long from, long to)
    {
        lock (_lock) return _pending.Values.Count(sent => sent >= from && sent < to);
    }

    /// <summary>Runs sessions one after another: the first, then (with <see cref="SimulatedHostOptions.Reconnect"/>) each redial.</summary>
    private async Task SuperviseAsync(HostSession session)
    {
        while (true)
        {
            _session = session;
            await RunAsync(session);
            session.Dispose();
            if (_halted || _disposed.IsCancellationRequested || _options.Reconnect is not { } retry) return;
            var next = await RedialAsync(retry);
            if (next is null) return;
            session = next;
        }
    }

    private async Task<HostSession?> RedialAsync(TimeSpan retry)
    {
        // As the real agent redials (the client library's Backoff): up to a ceiling doubling to 10 s, full jitter.
        var backoff = new Backoff(retry, MaxRedialDelay);
        while (!_disposed.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(backoff.Next(), _disposed.Token);
                return await HostSession.OpenAsync(_options, _seed, $"127.0.0.1:{Port}", _disposed.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            catch (Exception e) when (e is SocketException or LoadToolException or TimeoutException or IOException)
            {
                FailedAttempts++;
                LastError = e.Message;
                Count(e switch
                {
                    LoadToolException { Refusal: { } code } => code.ToString(),
                    SocketException socket => $"connect {socket.SocketErrorCode}",
                    TimeoutException => "no WELCOME in time",
                    IOException io => $"I/O ({(io.InnerException as SocketException)?.SocketErrorCode.ToString() ?? io.GetType().Name})",
                    _ => e.Message,
                });
            }
        }
        return null;
    }

    private async Task RunAsync(HostSession session)
    {
        Sessions++;
        ConnectedAt = session.ConnectedAt;
        Interlocked.Exchange(ref _firstAck, 0);
        lock (_lock) _pending.Clear(); // a dropped session's heartbeats will never be answered
        await session.SendAsync(new HostCapacityPacket(_options.MaxMaps, _options.MaxPlayers, 80, 85, 1000));
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        _sessionEnd = ended;
        var heartbeats = HeartbeatAsync(session, ended.Token);
        try
        {
            await ReceiveAsync(session, ended.Token);
        }
        catch (LoadToolException e)
        {
            // A frame this host cannot read ends the session, as the real agent would; counted, so it is not hidden.
            LastError = e.Message;
            Count("invalid frame in a session");
        }
        finally
        {
            await ended.CancelAsync();
            await heartbeats;
            _sessionEnd = null;
        }
    }

    private async Task HeartbeatAsync(HostSession session, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval);
        try
        {
            do
            {
                if (_halted) return;
                MapReport[] maps;
                uint sequence;
                lock (_lock)
                {
                    maps = [.. _maps.Select(m => new MapReport(m.Key, m.Value, MapRunState.Running, 0))];
                    sequence = ++_sequence;
                    _pending[sequence] = Stopwatch.GetTimestamp();
                }
                if (!await session.SendAsync(new HeartbeatPacket(sequence, _options.CpuPermille, 200, 1000, maps))) return;
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Reads until the connection ends; when frozen, drops what arrives and reads no more.</summary>
    private async Task ReceiveAsync(HostSession session, CancellationToken ended)
    {
        var replies = new List<MapStatePacket>();
        while (true)
        {
            var read = await session.ReadAsync(ended);
            if (read.Outcome != ReadOutcome.Frame) return;
            if (_halted)
            {
                // Until revived or disposed: nothing more is read.
                session.Advance();
                await Task.Delay(Timeout.Infinite, ended).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }
            Handle(read.Frame, Stopwatch.GetTimestamp(), replies);
            session.Advance();
            foreach (var reply in replies)
                if (!await session.SendAsync(reply)) return;
            replies.Clear();
        }
    }

    private void Count(string kind)
    {
        lock (_lock) _failures[kind] = _failures.GetValueOrDefault(kind) + 1;
    }

    private void Handle(in Frame frame, long now, List<MapStatePacket> replies)
    {
        switch ((PacketId)frame.Id)
        {
            case PacketId.HeartbeatAck when FrameCodec.TryRead(frame, out HeartbeatAckPacket ack):
                lock (_lock)
                {
                    if (_pending.Remove(ack.Sequence, out long sent)) _acks.Add((sent, now));
                }
                Interlocked.CompareExchange(ref _firstAck, now, 0);
                break;
            case PacketId.AssignMap when FrameCodec.TryRead(frame, out AssignMapPacket assign):
                _options.OnAssign?.Invoke(this, assign, now);
                lock (_lock)
                {
                    if (_maps.TryGetValue(assign.Map, out ulong held) && held > assign.Epoch) break; // superseded: ignored
                    if (!_maps.ContainsKey(assign.Map) && _maps.Count >= _options.MaxMaps)
                    {
                        replies.Add(new MapStatePacket(assign.Map, assign.Epoch, MapRunState.Failed, 0));
                        break;
                    }
                    _maps[assign.Map] = assign.Epoch;
                }
                replies.Add(new MapStatePacket(assign.Map, assign.Epoch, MapRunState.Running, Port));
                break;
            case PacketId.RevokeMap when FrameCodec.TryRead(frame, out RevokeMapPacket revoke):
                lock (_lock)
                {
                    if (!_maps.TryGetValue(revoke.Map, out ulong held))
                        replies.Add(new MapStatePacket(revoke.Map, revoke.Epoch, MapRunState.Stopped, 0));
                    else if (held <= revoke.Epoch)
                    {
                        _maps.Remove(revoke.Map);
                        replies.Add(new MapStatePacket(revoke.Map, held, MapRunState.Stopped, 0));
                    }
                }
                break;
            case PacketId.Error when FrameCodec.TryRead(frame, out ErrorPacket error):
                LastError = $"ERROR {error.Code}: {error.Message}";
                Count($"session ended by {error.Code}");
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        _session?.Abort();
        await _supervisor;
        _disposed.Dispose();
    }
}
