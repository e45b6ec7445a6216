using System.Buffers;
using System.IO.Pipelines;

namespace P2PCluster.Protocol;

/// <summary>
/// One connection's framing state, shared by the gateway and the client library: applies the frame-size limit,
/// opens sealed frames (handling REKEY itself), and writes packets — sealed once a channel is set — through one
/// serialized writer. Reading is single-threaded (one read loop); sending may come from any thread.
/// </summary>
public sealed class FrameSession(PipeWriter output) : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _scratch = new(256);
    private byte[] _plaintext = [];
    private byte[] _ciphertext = [];

    /// <summary>Set once the handshake yields an encrypted channel; from then on every frame is sealed both ways.</summary>
    public SecureChannel? Channel { get; set; }

    /// <summary>Largest inbound frame (as on the wire, so including the sealing overhead).</summary>
    public int MaxInboundFrame { get; set; } = ProtocolLimits.HandshakeMaxFrame;

    /// <summary>Frames received as on the wire, including any that failed to open.</summary>
    public long FramesIn { get; private set; }

    /// <summary>
    /// Takes the next frame from <paramref name="buffer"/> (advancing it past the frame). With a channel the frame is
    /// opened and the inner frame returned; its body stays valid until the next call.
    /// </summary>
    public ReadOutcome TryReadFrame(ref ReadOnlySequence<byte> buffer, out Frame frame, out ProtocolError error)
    {
        while (true)
        {
            error = ProtocolError.None;
            var status = FrameCodec.TryParse(buffer, MaxInboundFrame, out frame, out var consumed);
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

    /// <summary>
    /// Writes a packet (sealed when a channel is set); flushes unless told not to, so a batch can share one flush.
    /// <paramref name="cancellationToken"/> cancels only the wait for the writer: once a frame is written its flush
    /// runs to the end, because a half-sent sealed frame would desynchronize the stream for every later frame. A
    /// peer that stops reading is dealt with by closing the connection, which ends the flush.
    /// </summary>
    public async ValueTask<bool> SendAsync<T>(T packet, bool flush = true, CancellationToken cancellationToken = default) where T : IPacket<T>
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            Write(packet);
            return !flush || !(await output.FlushAsync(CancellationToken.None)).IsCompleted;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Moves the sending direction to its next key (sends REKEY sealed under the current one); false if the peer has gone.</summary>
    public async ValueTask<bool> RekeyAsync(CancellationToken cancellationToken = default)
    {
        if (Channel is null) return true;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            Write(default(RekeyPacket));
            Channel.RekeySend();
            return !(await output.FlushAsync(CancellationToken.None)).IsCompleted;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Flushes what batched sends wrote; false if the peer has gone. The token cancels only the wait for the writer.</summary>
    public async ValueTask<bool> FlushAsync(CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            return !(await output.FlushAsync(CancellationToken.None)).IsCompleted;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void Write<T>(in T packet) where T : IPacket<T>
    {
        if (Channel is null)
        {
            FrameCodec.Write(output, packet);
            return;
        }
        _scratch.ResetWrittenCount();
        FrameCodec.Write(_scratch, packet);
        int total = _scratch.WrittenCount + ProtocolLimits.SealOverhead;
        Channel.Seal(_scratch.WrittenSpan, output.GetSpan(total));
        output.Advance(total);
    }

    private static void Grow(ref byte[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new byte[Math.Max(length, Math.Min(2 * buffer.Length, ushort.MaxValue))];
    }

    public void Dispose()
    {
        Channel?.Dispose();
        _writeLock.Dispose();
    }
}
