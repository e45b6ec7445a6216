using System.Buffers;

namespace P2PCluster.Protocol.Tests;

/// <summary>Multi-segment sequences over the same bytes, to prove parsing does not depend on where a buffer is split.</summary>
public static class Sequences
{
    public static ReadOnlySequence<byte> Split(ReadOnlyMemory<byte> data, params int[] cuts)
    {
        var points = cuts.Where(c => c > 0 && c < data.Length).Distinct().Order().ToList();
        if (points.Count == 0) return new ReadOnlySequence<byte>(data);
        Segment? first = null, last = null;
        int start = 0;
        foreach (int end in points.Append(data.Length))
        {
            var segment = new Segment(data[start..end]);
            if (first is null) first = last = segment;
            else last = last!.Append(segment);
            start = end;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    /// <summary>Every byte in its own segment.</summary>
    public static ReadOnlySequence<byte> Bytewise(ReadOnlyMemory<byte> data) => Split(data, Enumerable.Range(1, data.Length).ToArray());

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(Segment next)
        {
            next.RunningIndex = RunningIndex + Memory.Length;
            Next = next;
            return next;
        }
    }
}
