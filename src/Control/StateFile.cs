using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace P2PCluster.Control;

/// <summary>
/// The backup file (docs/operations.md, "Backup and restore"): one ASCII header line
/// <c>p2p-state VERSION sha256=HEX bytes=N</c>, then exactly N bytes of UTF-8 JSON whose SHA-256 is HEX. The header
/// says what the body must be, so a flipped byte, a cut-off file or trailing bytes are all seen before anything is read
/// from it, and a version above <see cref="Version"/> is refused rather than half understood. Format 2 added the
/// disabled maps (<see cref="StateDocument.DisabledMaps"/>); a format 1 file is still read.
/// </summary>
public static class StateFile
{
    public const string Magic = "p2p-state";
    public const int Version = 2;
    public const int MaxBytes = 64 * 1024 * 1024;
    private const int MaxHeader = 200;

    /// <summary>Writes <paramref name="body"/> beside <paramref name="path"/> then renames it over: a crash leaves the old file or the new one.</summary>
    public static void Write(string path, byte[] body)
    {
        string header = $"{Magic} {Version} sha256={Convert.ToHexStringLower(SHA256.HashData(body))} bytes={body.Length}\n";
        string full = Path.GetFullPath(path);
        string temp = full + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.ASCII.GetBytes(header));
                stream.Write(body);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw ControlException.BadFile(path, $"cannot write: {e.Message}");
        }
    }

    /// <summary>The body, checked against its header; <see cref="ControlException"/> (exit 5) naming the file and the problem otherwise.</summary>
    public static (int Version, JsonElement Body) Read(string path)
    {
        byte[] bytes;
        try
        {
            if (new FileInfo(path).Length > MaxBytes) throw ControlException.BadFile(path, $"larger than {MaxBytes} bytes: not a p2p-control state file");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ControlException.BadFile(path, $"cannot read: {e.Message}");
        }
        int newline = Array.IndexOf(bytes, (byte)'\n', 0, Math.Min(bytes.Length, MaxHeader));
        string? header = newline < 0 ? null : Encoding.ASCII.GetString(bytes, 0, newline);
        if (header is null || !header.StartsWith(Magic + " ", StringComparison.Ordinal))
            throw ControlException.BadFile(path, bytes.Length == 0 ? "empty file" : $"not a p2p-control state file (no '{Magic}' header line)");
        string[] parts = header.Split(' ');
        if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
            throw ControlException.BadFile(path, $"corrupted header: '{Printable(header)}'");
        if (version > Version)
            throw ControlException.BadFile(path, $"written in state format {version} by a newer p2p-control; this one reads formats 1-{Version} and applies nothing from it");
        if (parts.Length != 4 || !parts[2].StartsWith("sha256=", StringComparison.Ordinal) || parts[2].Length != 7 + 64
            || !parts[3].StartsWith("bytes=", StringComparison.Ordinal)
            || !int.TryParse(parts[3].AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out int length))
            throw ControlException.BadFile(path, $"corrupted header: '{Printable(header)}'");
        int have = bytes.Length - newline - 1;
        if (have < length) throw ControlException.BadFile(path, $"truncated: the header promises {length} bytes of state, the file has {have}");
        if (have > length) throw ControlException.BadFile(path, $"corrupted: {have - length} byte(s) after the {length} bytes of state the header promises");
        var body = bytes.AsSpan(newline + 1);
        string actual = Convert.ToHexStringLower(SHA256.HashData(body));
        if (!string.Equals(actual, parts[2][7..], StringComparison.OrdinalIgnoreCase))
            throw ControlException.BadFile(path, $"corrupted: the state's SHA-256 is {actual}, the header says {parts[2][7..]}");
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw ControlException.BadFile(path, "the state is not a JSON object");
            return (version, document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw ControlException.BadFile(path, $"the state is not valid JSON: {e.Message}");
        }
    }

    private static string Printable(string text) => new([.. text.Take(100).Select(c => c is >= ' ' and <= '~' ? c : '?')]);
}
