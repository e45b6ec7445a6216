using System.Diagnostics.Metrics;
using System.IO.Pipelines;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P2PCluster.Hosting;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Tests;

/// <summary>
/// <see cref="SessionReadLoop"/> over a real pipe: what one read's frames share (one batch, finished once and counted
/// together), the rate limit, the codec's errors, a peer leaving mid-frame, idleness, and who decides to read on.
/// </summary>
public sealed class SessionReadLoopTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly Pipe _wire = new();
    private readonly FrameSession _frames;
    private readonly IdleWatch _idle;
    private readonly GatewayMetrics _metrics;
    private readonly MeterRecorder _meters;
    private readonly RecordingSession _session = new();

    public SessionReadLoopTests()
    {
        _frames = new FrameSession(_wire.Reader, new Pipe().Writer);
        _idle = new IdleWatch(TimeProvider.System, _wire.Reader.CancelPendingRead);
        var options = Options.Create(new CoordinatorOptions());
        var factory = _services.GetRequiredService<IMeterFactory>();
        _metrics = new GatewayMetrics(factory, new HandshakeAdmission(options), new ConnectionLimiter(options), []);
        _meters = new MeterRecorder(factory);
    }

    private Task RunAsync(int maxFramesPerSecond = 1000) =>
        new SessionReadLoop(_frames, _idle, _metrics, maxFramesPerSecond).RunAsync(_session);

    private async Task WriteAsync(params byte[][] parts)
    {
        await _wire.Writer.WriteAsync(parts.SelectMany(p => p).ToArray()); // one write, one flush: one read
    }

    private static byte[] Ping(ulong token) => FrameCodec.ToArray(new PingPacket(token, 0));

    private async Task ExpectAsync(params string[] events)
    {
        foreach (var expected in events) Assert.Equal(expected, await _session.NextAsync());
    }

    [Fact]
    public async Task FramesOfOneReadAreOneBatchFinishedOnceAndCountedTogether()
    {
        var run = RunAsync();
        await WriteAsync(Ping(1), Ping(2), Ping(3));
        await ExpectAsync("frame 1", "frame 2", "frame 3", "batch");
        await WriteAsync(Ping(4));
        await ExpectAsync("frame 4", "batch");
        await _wire.Writer.CompleteAsync();
        await run.WaitAsync(Deadline);

        Assert.Equal(4, _meters.Sum("p2p.gateway.frames"));
        Assert.Equal(2, _meters.Count("p2p.gateway.frames"));
        Assert.Equal(0, _metrics.Rejections(ProtocolError.Truncated));
        Assert.Empty(_session.Rest());
    }

    [Fact]
    public async Task AFrameBeyondTheRateIsRefusedWithRateLimitedAndEndsTheLoop()
    {
        var run = RunAsync(maxFramesPerSecond: 1); // a full bucket holds two seconds' worth: 2 frames
        await WriteAsync(Ping(1), Ping(2), Ping(3));
        await ExpectAsync("frame 1", "frame 2", "fail RateLimited: more than 1 frames a second");
        await run.WaitAsync(Deadline);

        Assert.Equal(3, _meters.Sum("p2p.gateway.frames")); // the refused frame was received too
        Assert.Empty(_session.Rest()); // no batch finished after a refusal
    }

    [Fact]
    public async Task AFrameTheCodecRefusesEndsTheLoopWithItsError()
    {
        var run = RunAsync();
        await WriteAsync(Ping(1), [0x34, 0x12, 0x08, 0x00]); // an unknown id, refused from its header
        await ExpectAsync("frame 1", "fail UnknownPacket: unknown packet id");
        await run.WaitAsync(Deadline);
        Assert.Empty(_session.Rest());
    }

    [Fact]
    public async Task APeerLeavingMidFrameIsCountedTruncatedAndToldNothing()
    {
        var run = RunAsync();
        await WriteAsync(Ping(1)[..5]);
        await _wire.Writer.CompleteAsync();
        await run.WaitAsync(Deadline);

        Assert.Equal(1, _metrics.Rejections(ProtocolError.Truncated));
        Assert.Empty(_session.Rest()); // the peer is gone: no ERROR
    }

    [Fact]
    public async Task AConnectionIdlePastItsTimeoutIsRefusedWithIdleTimeout()
    {
        _idle.Start(TimeSpan.FromMilliseconds(200));
        var run = RunAsync();
        await ExpectAsync("fail IdleTimeout: no complete frame for 200 ms");
        await run.WaitAsync(Deadline);
        Assert.Empty(_session.Rest()); // idleness is the loop's own: the session is not asked whether to read on
    }

    [Fact]
    public async Task ACancelledReadGoesOnOnlyWhileTheSessionSaysSo()
    {
        var run = RunAsync();
        _session.ReadOn = true;
        _wire.Reader.CancelPendingRead();
        await ExpectAsync("canceled");
        await WriteAsync(Ping(1));
        await ExpectAsync("frame 1", "batch");

        _session.ReadOn = false;
        _wire.Reader.CancelPendingRead();
        await ExpectAsync("canceled");
        await run.WaitAsync(Deadline);
        Assert.Empty(_session.Rest());
    }

    [Fact]
    public async Task AFrameTheSessionRefusesEndsTheLoopOnceTheReadIsCounted()
    {
        _session.Refuse = 2;
        var run = RunAsync();
        await WriteAsync(Ping(1), Ping(2), Ping(3));
        await ExpectAsync("frame 1", "frame 2");
        await run.WaitAsync(Deadline);

        Assert.Equal(2, _meters.Sum("p2p.gateway.frames"));
        Assert.Empty(_session.Rest()); // neither the third frame nor the batch's PONGs
    }

    [Fact]
    public async Task ACloseRequestedFromOutsideEndsTheLoopAfterTheBatchInHand()
    {
        _session.CloseAt = 1;
        var run = RunAsync();
        await WriteAsync(Ping(1), Ping(2));
        await ExpectAsync("frame 1", "frame 2"); // the batch already read is answered
        await run.WaitAsync(Deadline);

        Assert.Equal(2, _meters.Sum("p2p.gateway.frames"));
        Assert.Empty(_session.Rest()); // but nothing follows the close: no PONGs
    }

    public void Dispose()
    {
        _meters.Dispose();
        _idle.Dispose();
        _services.Dispose();
    }

    /// <summary>Records what the loop asks of its session, in order.</summary>
    private sealed class RecordingSession : ISessionFrameHandler
    {
        private readonly Channel<string> _events = Channel.CreateUnbounded<string>();

        public bool CloseRequested { get; private set; }

        /// <summary>What a cancelled read is answered.</summary>
        public volatile bool ReadOn;

        /// <summary>The token of the PING answered false; of the PING after which the session is closed from outside.</summary>
        public ulong Refuse, CloseAt;

        public ValueTask<bool> HandleAsync(Frame frame)
        {
            Assert.True(FrameCodec.TryRead(frame, out PingPacket ping));
            _events.Writer.TryWrite($"frame {ping.Token}");
            if (ping.Token == CloseAt) CloseRequested = true;
            return ValueTask.FromResult(ping.Token != Refuse);
        }

        public ValueTask<bool> FailAsync(ProtocolError code, string message)
        {
            _events.Writer.TryWrite($"fail {code}: {message}");
            return ValueTask.FromResult(false);
        }

        public ValueTask<bool> ReadCanceledAsync()
        {
            _events.Writer.TryWrite("canceled");
            return ValueTask.FromResult(ReadOn);
        }

        public ValueTask<bool> BatchDoneAsync()
        {
            _events.Writer.TryWrite("batch");
            return ValueTask.FromResult(true);
        }

        public async Task<string> NextAsync() => await _events.Reader.ReadAsync().AsTask().WaitAsync(Deadline);

        /// <summary>What was recorded and not yet taken; call once the loop has ended.</summary>
        public List<string> Rest()
        {
            var rest = new List<string>();
            while (_events.Reader.TryRead(out var e)) rest.Add(e);
            return rest;
        }
    }
}
