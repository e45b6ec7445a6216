using System.Buffers;
using System.Text;

namespace P2PCluster.Protocol;

/// <summary>Short UTF-8 strings prefixed by a u8 byte count (character names, passwords, messages).</summary>
internal static class WireUtf8
{
    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static int Size(string value) => 1 + Lenient.GetByteCount(value);

    /// <summary>Writes <paramref name="value"/>; it must fit in <paramref name="maxBytes"/> (≤ 255) bytes.</summary>
    public static int Write(Span<byte> destination, string value, int maxBytes = byte.MaxValue)
    {
        int length = Lenient.GetByteCount(value);
        if (length > maxBytes) throw new ArgumentException($"'{value}' is {length} UTF-8 bytes; at most {maxBytes} fit");
        destination[0] = (byte)Lenient.GetBytes(value, destination[1..]);
        return 1 + length;
    }

    public static bool TryRead(ref SequenceReader<byte> reader, int maxBytes, out string value)
    {
        value = "";
        return reader.TryReadU8(out byte length) && length <= maxBytes && reader.TryReadUtf8(length, out value);
    }

    /// <summary><paramref name="value"/> cut on a character boundary to at most <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    public static string Clip(string value, int maxBytes)
    {
        if (Lenient.GetByteCount(value) <= maxBytes) return value;
        int bytes = 0, i = 0;
        while (i < value.Length)
        {
            int width = char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]) ? 2 : 1;
            int size = Lenient.GetByteCount(value.AsSpan(i, width));
            if (bytes + size > maxBytes) break;
            bytes += size;
            i += width;
        }
        return value[..i];
    }
}
