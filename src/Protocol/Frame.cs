using System.Buffers;

namespace P2PCluster.Protocol;

/// <summary>A parsed frame: its id and a view of its body (valid until the buffer it came from is advanced).</summary>
public readonly struct Frame(ushort id, ReadOnlySequence<byte> body)
{
    public ushort Id { get; } = id;
    public ReadOnlySequence<byte> Body { get; } = body;
    public int Length => ProtocolLimits.HeaderLength + (int)Body.Length;
}
