using System.Buffers;
using System.Text;

namespace P2PCluster.Protocol;

/// <summary>Short ASCII strings prefixed by a u8 length (map names, endpoints).</summary>
internal static class WireText
{
    public static int Size(string value) => 1 + value.Length;

    public static int Write(Span<byte> destination, string value)
    {
        if (value.Length > byte.MaxValue || !Ascii.IsValid(value))
            throw new ArgumentException($"'{value}' must be at most 255 ASCII characters");
        destination[0] = (byte)value.Length;
        Encoding.ASCII.GetBytes(value, destination[1..]);
        return 1 + value.Length;
    }

    public static bool TryRead(ref SequenceReader<byte> reader, out string value)
    {
        value = "";
        return reader.TryReadU8(out byte length) && reader.TryReadUtf8(length, out value) && Ascii.IsValid(value);
    }
}
