using System.Buffers;
using System.IO.Pipelines;

namespace P2PCluster.Protocol.Fuzz;

/// <summary>
/// Target "sealed": the sealed-frame opener (<see cref="FrameReader"/> → <see cref="SecureChannel.TryOpen"/> →
/// libsodium) with the documented traffic secrets. Input: a shape byte, then
/// <list type="bullet">
/// <item>bit 0 clear: raw bytes on the wire, as an attacker without the key sends them (seeds: the documented sealed frames);</item>
/// <item>bit 0 set: records (u8 length, plaintext) that the harness seals with the peer's key first, so the fuzzer
/// reaches what lies behind the tag check: inner-frame parsing, REKEY, a sealed frame inside a sealed frame. Bit 1 then
/// flips the sealed stream's byte at the position given by the second input byte.</item>
/// </list>
/// Untampered frames sealed in order must open, and yield exactly their plaintext when it is a valid frame.
/// </summary>
internal static class SealedTarget
{
    private const int MaxFrames = 64;

    public static void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        byte shape = input[0];
        var session = new FrameReader(PipeReader.Create(Stream.Null))
        {
            Channel = new SecureChannel(Vectors.Get("s2c_secret"), Vectors.Get("c2s_secret")),
            MaxFrame = ProtocolLimits.DefaultMaxFrame + ProtocolLimits.SealOverhead,
        };
        if ((shape & 1) == 0)
        {
            Drain(session, Chunk.Split(input[1..].ToArray(), shape), expected: null);
            return;
        }
        if (input.Length < 2) return;
        var expected = new Queue<byte[]>();
        byte[] sealedStream = SealRecords(input[2..], expected);
        bool tampered = (shape & 2) != 0 && sealedStream.Length > 0;
        if (tampered) sealedStream[input[1] % sealedStream.Length] ^= 0x01;
        Drain(session, Chunk.Split(sealedStream, shape), tampered ? null : expected);
    }

    private static byte[] SealRecords(ReadOnlySpan<byte> records, Queue<byte[]> expected)
    {
        using var sender = new SecureChannel(Vectors.Get("c2s_secret"), Vectors.Get("s2c_secret"));
        var output = new ArrayBufferWriter<byte>();
        while (records.Length > 0 && records.Length > records[0] && expected.Count < MaxFrames)
        {
            byte[] plain = records.Slice(1, records[0]).ToArray();
            records = records[(1 + records[0])..];
            int total = plain.Length + ProtocolLimits.SealOverhead;
            sender.Seal(plain, output.GetSpan(total)[..total]);
            output.Advance(total);
            if (IsRekey(plain)) sender.RekeySend();
            else expected.Enqueue(plain);
        }
        return output.WrittenSpan.ToArray();
    }

    private static bool IsRekey(byte[] plain) => plain is [0x07, 0x50, 0x04, 0x00];

    private static void Drain(FrameReader session, ReadOnlySequence<byte> wire, Queue<byte[]>? expected)
    {
        for (int i = 0; i < MaxFrames; i++)
        {
            var outcome = session.TryReadFrame(ref wire, out var frame, out var error);
            if (outcome == ReadOutcome.Frame)
            {
                if (expected is not null)
                {
                    Finding.Require(expected.TryDequeue(out var plain), "a frame opened that was never sealed");
                    var opened = new byte[frame.Length];
                    FrameCodec.WriteHeader(opened, frame.Id, frame.Length - ProtocolLimits.HeaderLength);
                    frame.Body.CopyTo(opened.AsSpan(ProtocolLimits.HeaderLength));
                    Finding.Require(opened.AsSpan().SequenceEqual(plain!), "an opened frame differs from what was sealed");
                }
                PacketCheck.Frame(frame);
                continue;
            }
            if (outcome == ReadOutcome.Error)
                Finding.Require(expected is null || error != ProtocolError.DecryptFailed, "a frame sealed in order with the right key failed to open");
            return;
        }
    }
}
