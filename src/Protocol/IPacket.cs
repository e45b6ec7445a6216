using System.Buffers;

namespace P2PCluster.Protocol;

/// <summary>A packet type: its id, and a body codec that reads exactly the whole body or fails.</summary>
public interface IPacket<TSelf> where TSelf : IPacket<TSelf>
{
    static abstract PacketId Id { get; }

    int BodyLength { get; }

    void WriteBody(Span<byte> destination);

    /// <summary>Parses a body; false on any length or value error, including trailing bytes.</summary>
    static abstract bool TryRead(ReadOnlySequence<byte> body, out TSelf packet);
}
