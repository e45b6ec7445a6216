using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace P2PCluster.Protocol;

/// <summary>
/// The one frame read loop (Bedrock's <c>ProtocolReader</c> shape): <see cref="ReadAsync"/> yields one frame at a
/// time, opened when a channel is set (REKEY handled here), and the pipe is advanced only once every complete frame of
/// a read has been taken. Call <see cref="Advance"/> when done with a frame. Single reader; not thread-safe.
/// </summary>
public sealed class FrameReader(PipeReader input)
{
    private ReadOnlySequence<byte> _buffer;
    private bool _held; // a pipe read is held: _buffer is the rest of it, not yet advanced past
    private bool _completed;
    private bool _hasFrame;
    private ProtocolError _failed;
    private byte[] _plaintext = [];
    private byte[] _ciphertext = [];

    /// <summary>Set once the handshake yields an encrypted channel; from then on every inbound frame must be sealed.</summary>
    public SecureChannel? Channel { get; set; }

    /// <summary>Largest inbound frame (as on the wire, so including the sealing overhead).</summary>
    public int MaxFrame { get; set; } = ProtocolLimits.HandshakeMaxFrame;

    /// <summary>Frames received as on the wire, including any that failed to open.</summary>
    public long FramesIn { get; private set; }

    /// <summary>Whether the next <see cref="ReadAsync"/> finds a frame (or a bad header) without waiting for the peer.</summary>
    public bool HasBufferedFrame => _held && FrameCodec.TryParse(_buffer, MaxFrame, out _, out _) != ParseStatus.Incomplete;

    /// <summary>
    /// The next frame, error, cancellation or end. An error is final: every later call returns it again. The token
    /// cancels only the wait for more bytes.
    /// </summary>
    public ValueTask<FrameReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_hasFrame) throw new InvalidOperationException("Advance() must be called before the next ReadAsync()");
        if (_failed != ProtocolError.None) return new(new FrameReadResult(ReadOutcome.Error, error: _failed));
        if (_held && TryTake(out var result)) return new(result);
        return ReadMoreAsync(cancellationToken);
    }

    /// <summary>
    /// Reads and drops everything until the peer closes (after an error, or to let a refused peer read its ERROR
    /// before the connection closes: closing with unread bytes would reset it).
    /// </summary>
    public async ValueTask DiscardToEndAsync(CancellationToken cancellationToken = default)
    {
        _hasFrame = false;
        if (_held)
        {
            input.AdvanceTo(_buffer.End);
            _held = false;
        }
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken);
            input.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted || read.IsCanceled) return;
        }
    }

    /// <summary>Releases the frame the last <see cref="ReadAsync"/> returned; its body must not be used after.</summary>
    public void Advance() => _hasFrame = false;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FrameReadResult> ReadMoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken);
            _held = true;
            _buffer = read.Buffer;
            _completed = read.IsCompleted;
            if (read.IsCanceled) return new FrameReadResult(ReadOutcome.Canceled);
            if (TryTake(out var result)) return result;
        }
    }

    /// <summary>Takes the next frame from the held read; when none is complete, gives the read back (and reports the end).</summary>
    private bool TryTake(out FrameReadResult result)
    {
        var outcome = TryReadFrame(ref _buffer, out var frame, out var error);
        if (outcome == ReadOutcome.Frame)
        {
            _hasFrame = true;
            result = new FrameReadResult(ReadOutcome.Frame, frame);
            return true;
        }
        input.AdvanceTo(_buffer.Start, _buffer.End);
        _held = false;
        if (outcome == ReadOutcome.Error)
        {
            _failed = error;
            result = new FrameReadResult(ReadOutcome.Error, error: error);
            return true;
        }
        result = new FrameReadResult(ReadOutcome.Completed, error: _buffer.IsEmpty ? ProtocolError.None : ProtocolError.Truncated);
        return _completed;
    }

    /// <summary>
    /// The pure step under <see cref="ReadAsync"/>: takes the next frame from <paramref name="buffer"/> (advancing it
    /// past the frame). With a channel the frame is opened and the inner frame returned; its body stays valid until
    /// the next call. REKEY frames are applied and skipped.
    /// </summary>
    public ReadOutcome TryReadFrame(ref ReadOnlySequence<byte> buffer, out Frame frame, out ProtocolError error)
    {
        while (true)
        {
            error = ProtocolError.None;
            var status = FrameCodec.TryParse(buffer, MaxFrame, out frame, out var consumed);
            switch (status)
            {
                case ParseStatus.Incomplete: return ReadOutcome.Incomplete;
                case ParseStatus.Malformed: error = ProtocolError.Malformed; return ReadOutcome.Error;
                case ParseStatus.UnknownId: error = ProtocolError.UnknownPacket; return ReadOutcome.Error;
                case ParseStatus.TooLarge: error = ProtocolError.FrameTooLarge; return ReadOutcome.Error;
            }
            buffer = buffer.Slice(consumed);
            FramesIn++;

            if (Channel is null)
            {
                if (frame.Id == (ushort)PacketId.Sealed) { error = ProtocolError.UnexpectedPacket; return ReadOutcome.Error; }
                return ReadOutcome.Frame;
            }
            if (frame.Id != (ushort)PacketId.Sealed) { error = ProtocolError.UnexpectedPacket; return ReadOutcome.Error; }
            var outer = frame;
            if (!Open(outer, out frame, out error)) return ReadOutcome.Error;
            if (frame.Id != (ushort)PacketId.Rekey) return ReadOutcome.Frame;
            if (!frame.Body.IsEmpty) { error = ProtocolError.Malformed; return ReadOutcome.Error; }
            Channel.RekeyReceive();
        }
    }

    private bool Open(in Frame sealedFrame, out Frame inner, out ProtocolError error)
    {
        inner = default;
        error = ProtocolError.DecryptFailed;
        int cipherLength = (int)sealedFrame.Body.Length;
        if (cipherLength < ProtocolLimits.TagLength + ProtocolLimits.HeaderLength) { error = ProtocolError.Malformed; return false; }

        ReadOnlySpan<byte> ciphertext;
        if (sealedFrame.Body.IsSingleSegment) ciphertext = sealedFrame.Body.FirstSpan;
        else
        {
            Grow(ref _ciphertext, cipherLength);
            sealedFrame.Body.CopyTo(_ciphertext);
            ciphertext = _ciphertext.AsSpan(0, cipherLength);
        }
        Span<byte> header = stackalloc byte[ProtocolLimits.HeaderLength];
        FrameCodec.WriteHeader(header, sealedFrame.Id, cipherLength);
        int plainLength = cipherLength - ProtocolLimits.TagLength;
        Grow(ref _plaintext, plainLength);
        if (!Channel!.TryOpen(header, ciphertext, _plaintext)) return false;

        var plain = new ReadOnlySequence<byte>(_plaintext, 0, plainLength);
        var status = FrameCodec.TryParse(plain, plainLength, out inner, out _);
        if (status == ParseStatus.UnknownId)
        {
            error = ProtocolError.UnknownPacket;
            return false;
        }
        if (status != ParseStatus.Complete || inner.Length != plainLength || inner.Id == (ushort)PacketId.Sealed)
        {
            error = ProtocolError.Malformed;
            return false;
        }
        error = ProtocolError.None;
        return true;
    }

    private static void Grow(ref byte[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new byte[Math.Max(length, Math.Min(2 * buffer.Length, ushort.MaxValue))];
    }
}
