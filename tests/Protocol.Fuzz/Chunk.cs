using System.Buffers;

namespace P2PCluster.Protocol.Fuzz;

/// <summary>One segment of a multi-segment sequence, so the readers meet data split as a socket delivers it.</summary>
internal sealed class Chunk : ReadOnlySequenceSegment<byte>
{
    public Chunk(ReadOnlyMemory<byte> memory, Chunk? previous)
    {
        Memory = memory;
        if (previous is null) return;
        RunningIndex = previous.RunningIndex + previous.Memory.Length;
        previous.Next = this;
    }

    /// <summary>
    /// <paramref name="data"/> as one segment when <paramref name="shape"/> is below 0x80, otherwise cut every
    /// (bits 2–6 of <paramref name="shape"/>) + 1 bytes: the input's first byte picks how the bytes arrive (its bits 0
    /// and 1 are left to the target).
    /// </summary>
    public static ReadOnlySequence<byte> Split(byte[] data, byte shape)
    {
        if (shape < 0x80 || data.Length == 0) return new ReadOnlySequence<byte>(data);
        int size = ((shape >> 2) & 0x1F) + 1;
        var first = new Chunk(data.AsMemory(0, Math.Min(size, data.Length)), null);
        var last = first;
        for (int at = size; at < data.Length; at += size)
            last = new Chunk(data.AsMemory(at, Math.Min(size, data.Length - at)), last);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
