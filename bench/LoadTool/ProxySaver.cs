using System.Diagnostics;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// One simulated host's connection to the database proxy (scenario <c>dbproxy</c>). Its characters are dealt to
/// <c>lanes</c>; each lane keeps one request in flight (send, wait for its answer, send the next), so a character never
/// has two saves under way and a host has up to <c>lanes</c>. One reader takes every answer off the socket, checks it
/// (code 0, the character asked about, a save's version one above the one it replaced), and records a save's latency
/// from just before its send to the read that brought its DB_RESULT.
/// </summary>
public sealed class ProxySaver : IAsyncDisposable
{
    private const int LaneBits = 12;
    private readonly HostSession _session;
    private readonly SavedCharacter[] _characters;
    private readonly ulong[] _epochs;
    private readonly Lane[] _lanes;
    private readonly Task _reader;
    private readonly CancellationTokenSource _closed = new();
    private long _saves;
    private volatile Exception? _failure;

    private sealed class Lane(int index)
    {
        public readonly int Index = index;
        public readonly Random Random = new(index * 7919 + 17);
        public int Next; // this lane's next character, counted within the lane
        public uint Sequence;
        public uint RequestId;
        public long SentAt;
        public SavedCharacter? Character;
        public CharacterRecord Saving;
        public TaskCompletionSource? Done; // set by the lane, taken by the reader
    }

    /// <param name="epochs">The epoch under which this host runs each character's map, by character index.</param>
    public ProxySaver(HostSession session, SavedCharacter[] characters, ulong[] epochs, int lanes)
    {
        if (lanes > 1 << LaneBits) throw new ArgumentOutOfRangeException(nameof(lanes), $"at most {1 << LaneBits} lanes");
        _session = session;
        _characters = characters;
        _epochs = epochs;
        _lanes = [.. Enumerable.Range(0, Math.Min(lanes, characters.Length)).Select(i => new Lane(i))];
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>Saves acknowledged and checked so far (from the first; the windows take differences).</summary>
    public long Saves => Volatile.Read(ref _saves);

    /// <summary>Latency of every acknowledged save, in µs; written by the reader only.</summary>
    public LatencyHistogram Latencies { get; } = new();

    /// <summary>Loads every character (DB_LOAD_CHAR): its record and the version its first save replaces.</summary>
    public Task LoadAllAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_lanes.Select(lane => LoadLaneAsync(lane, cancellationToken)));

    private async Task LoadLaneAsync(Lane lane, CancellationToken cancellationToken)
    {
        for (int i = lane.Index; i < _characters.Length; i += _lanes.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var c = _characters[i];
            uint request = Request(lane);
            await SendAsync(lane, c, default, request, new DbLoadCharPacket(request, (uint)c.CharId, c.Map, _epochs[i]));
        }
    }

    /// <summary>Saves the characters round and round, every lane one save at a time, until <paramref name="stop"/>; the saves under way finish.</summary>
    public Task SaveUntilAsync(CancellationToken stop) => Task.WhenAll(_lanes.Select(lane => SaveLaneAsync(lane, stop)));

    private async Task SaveLaneAsync(Lane lane, CancellationToken stop)
    {
        int perLane = (_characters.Length - lane.Index + _lanes.Length - 1) / _lanes.Length;
        while (!stop.IsCancellationRequested)
        {
            int i = lane.Index + lane.Next * _lanes.Length;
            lane.Next = (lane.Next + 1) % perLane;
            var c = _characters[i];
            var record = c.Next(lane.Random);
            byte[] key = Guid.NewGuid().ToByteArray();
            uint request = Request(lane);
            await SendAsync(lane, c, record, request, new DbSaveCharPacket(request, (uint)c.CharId, c.Map, _epochs[i], c.Version, key, record));
        }
    }

    private static uint Request(Lane lane) => (++lane.Sequence << LaneBits) | (uint)lane.Index;

    /// <summary>Sends one request and waits for the reader to check its answer (it throws what the reader found wrong).</summary>
    private async Task SendAsync<T>(Lane lane, SavedCharacter character, CharacterRecord saving, uint request, T packet) where T : IPacket<T>
    {
        var done = new TaskCompletionSource();
        lane.Character = character;
        lane.Saving = saving;
        lane.RequestId = request;
        Volatile.Write(ref lane.Done, done);
        if (_failure is { } failure) throw failure; // the reader has ended: nobody will answer
        lane.SentAt = Stopwatch.GetTimestamp();
        if (!await _session.SendAsync(packet)) throw new LoadToolException("the database proxy closed the connection");
        await done.Task;
    }

    private async Task ReadAsync()
    {
        Exception failure = new LoadToolException("the database proxy closed the connection");
        try
        {
            while (true)
            {
                var read = await _session.ReadAsync(_closed.Token);
                if (read.Outcome != ReadOutcome.Frame) break;
                Handle(read.Frame, Stopwatch.GetTimestamp());
                _session.Advance();
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
        _failure = failure;
        foreach (var lane in _lanes) Volatile.Read(ref lane.Done)?.TrySetException(failure);
    }

    private void Handle(in Frame frame, long now)
    {
        switch ((PacketId)frame.Id)
        {
            case PacketId.DbResult when FrameCodec.TryRead(frame, out DbResultPacket result):
            {
                var (lane, c) = Answering(result.RequestId, result.CharId);
                if (result.Code != ProtocolError.None || result.Version != c.Version + 1)
                {
                    Fail(lane, $"save of char {c.CharId} (expected version {c.Version}) answered {result.Code}, version {result.Version}");
                    return;
                }
                (c.Record, c.Version) = (lane.Saving, result.Version);
                Latencies.Record(Stopwatch.GetElapsedTime(lane.SentAt, now));
                Volatile.Write(ref _saves, _saves + 1);
                Complete(lane);
                return;
            }
            case PacketId.DbChar when FrameCodec.TryRead(frame, out DbCharPacket load):
            {
                var (lane, c) = Answering(load.RequestId, load.CharId);
                if (load.Code != ProtocolError.None)
                {
                    Fail(lane, $"load of char {c.CharId} answered {load.Code}");
                    return;
                }
                (c.Record, c.Version) = (load.Record, load.Version);
                Complete(lane);
                return;
            }
            case PacketId.Error when FrameCodec.TryRead(frame, out ErrorPacket error):
                throw new LoadToolException($"the database proxy sent ERROR {error.Code}: {error.Message}");
            default:
                throw new LoadToolException($"unexpected packet 0x{frame.Id:X4} from the database proxy");
        }
    }

    private (Lane Lane, SavedCharacter Character) Answering(uint requestId, uint charId)
    {
        int index = (int)(requestId & ((1u << LaneBits) - 1));
        if (index >= _lanes.Length || _lanes[index] is not { Done: not null, Character: { } c } lane || lane.RequestId != requestId || c.CharId != charId)
            throw new LoadToolException($"an answer to request {requestId} (char {charId}) that is not under way");
        return (lane, c);
    }

    private static void Complete(Lane lane)
    {
        var done = lane.Done!;
        lane.Done = null;
        done.SetResult();
    }

    private static void Fail(Lane lane, string message)
    {
        var done = lane.Done!;
        lane.Done = null;
        done.SetException(new LoadToolException(message));
    }

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        _session.Dispose();
        await _reader;
        _closed.Dispose();
    }
}
