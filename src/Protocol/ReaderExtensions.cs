using System.Buffers;
using System.Text;

namespace P2PCluster.Protocol;

/// <summary>Reads of the field types the packets use.</summary>
internal static class ReaderExtensions
{
    public static bool TryReadU8(ref this SequenceReader<byte> reader, out byte value) => reader.TryRead(out value);

    public static bool TryReadU16(ref this SequenceReader<byte> reader, out ushort value)
    {
        bool ok = reader.TryReadLittleEndian(out short raw);
        value = (ushort)raw;
        return ok;
    }

    public static bool TryReadU32(ref this SequenceReader<byte> reader, out uint value)
    {
        bool ok = reader.TryReadLittleEndian(out int raw);
        value = (uint)raw;
        return ok;
    }

    public static bool TryReadU64(ref this SequenceReader<byte> reader, out ulong value)
    {
        bool ok = reader.TryReadLittleEndian(out long raw);
        value = (ulong)raw;
        return ok;
    }

    public static bool TryReadI64(ref this SequenceReader<byte> reader, out long value) => reader.TryReadLittleEndian(out value);

    public static bool TryReadBytes(ref this SequenceReader<byte> reader, int count, out byte[] value)
    {
        value = new byte[count];
        if (!reader.TryCopyTo(value)) return false;
        reader.Advance(count);
        return true;
    }

    /// <summary>A UTF-8 string of <paramref name="byteCount"/> bytes; false if truncated or not valid UTF-8.</summary>
    public static bool TryReadUtf8(ref this SequenceReader<byte> reader, int byteCount, out string value)
    {
        value = "";
        if (reader.Remaining < byteCount) return false;
        Span<byte> buffer = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        reader.TryCopyTo(buffer);
        reader.Advance(byteCount);
        try
        {
            value = Strict.GetString(buffer);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    public static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
