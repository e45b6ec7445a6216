using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2PCluster.Protocol;

namespace P2PCluster.Client;

/// <summary>
/// Which coordinator keys a host agent or a game client trusts, for handshakes (<see cref="Live"/>) and, on an agent,
/// tickets (the <see cref="TicketVerifier"/>): the pinned key until the coordinator announces its key set (KEY_SET),
/// then the announced keys still trusted plus the pinned key unless the announcement revoked or retired it. An
/// announcement counts only if a key trusted at that moment signed it and it is not older than the last one taken;
/// it is kept in the file given (written aside, then renamed over), so a restarted agent or client still trusts a key
/// it learned after the pinned one retired. Connect with <see cref="Options"/> to learn: the coordinator then
/// announces its set to the session, and again whenever it changes.
/// </summary>
public sealed partial class CoordinatorTrust
{
    /// <summary>The file's name beside an agent's host key.</summary>
    public const string FileName = "coordinator_keyset.bin";

    private readonly byte[] _pinned;
    private readonly string? _file;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private KeySetPacket? _announced;
    private TicketVerifier? _verifier;

    /// <param name="file">Where the learned set is kept; null keeps it in memory only (forgotten at exit).</param>
    public CoordinatorTrust(byte[] pinned, string? file, TimeProvider? time = null, ILogger<CoordinatorTrust>? logger = null)
    {
        (_pinned, _file, _time, _logger) = (pinned, file, time ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance);
        _announced = Load();
        Live = new LiveKeys(this);
    }

    /// <summary>The file the last announcement taken is kept in, beside the host key: <c>coordinator_keyset.bin</c>.</summary>
    public static string FileBeside(string hostKeyFile) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(hostKeyFile))!, FileName);

    /// <summary>
    /// A game client's default for the coordinator pinned to <paramref name="pinned"/>:
    /// <c>p2p-client/coordinator_keyset-KEYID.bin</c> under the user's local application data (<c>~/.local/share</c> on
    /// Linux, <c>%LOCALAPPDATA%</c> on Windows), or null when the system has none. One file per pinned key, so what one
    /// server announced is never trusted for another.
    /// </summary>
    public static string? DefaultClientFile(byte[] pinned)
    {
        string root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return root.Length == 0 ? null : Path.Combine(root, "p2p-client", $"coordinator_keyset-{KeyNames.KeyId(pinned)}.bin");
    }

    /// <summary>
    /// Connection options that learn: the trusted keys read afresh at each handshake (the newest asked for first, so a
    /// client that slept through a switch still gets in within the old key's grace), and each KEY_SET taken.
    /// </summary>
    public CoordinatorConnectionOptions Options(PeerRole role = PeerRole.GameClient, TimeSpan? keepAlive = null) => new()
    {
        CoordinatorKeys = Live,
        Role = role,
        KeepAlive = keepAlive,
        PreferFirstKey = true,
        OnKeySet = Accept,
    };

    /// <summary>The trusted keys, read afresh at each use: pass it as the connection's pinned keys.</summary>
    public IReadOnlyList<byte[]> Live { get; }

    /// <summary>The keys trusted now, each with the time (Unix ms) it stops being trusted.</summary>
    public IReadOnlyList<(byte[] Key, long RetireMs)> Trusted()
    {
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        KeySetPacket? announced;
        lock (_gate) announced = _announced;
        if (announced is not { } set) return [(_pinned, long.MaxValue)];
        // Latest-activated first: the handshake asks for the first one (HELLO PrefersKey).
        var trusted = set.Keys.Where(k => k.TrustedAt(now)).OrderByDescending(k => k.ActivateMs)
            .Select(k => (k.PublicKey.ToArray(), k.RetireMs == 0 ? long.MaxValue : (long)k.RetireMs)).ToList();
        if (!set.Keys.Any(k => k.PublicKey.Span.SequenceEqual(_pinned))) trusted.Add((_pinned, long.MaxValue));
        return trusted;
    }

    /// <summary>Keeps <paramref name="verifier"/>'s keys equal to <see cref="Trusted"/> from now on.</summary>
    public TicketVerifier Attach(TicketVerifier verifier)
    {
        _verifier = verifier;
        verifier.Trust(Trusted());
        return verifier;
    }

    /// <summary>Takes a KEY_SET from the coordinator if a trusted key signed it; otherwise logs why and keeps the trust it had.</summary>
    public void Accept(KeySetPacket announcement)
    {
        var trusted = Trusted();
        if (!announcement.Verify(id => trusted.FirstOrDefault(k => HandshakeCrypto.KeyId(k.Key).AsSpan().SequenceEqual(id.Span)).Key))
        {
            LogUntrusted(_logger, Convert.ToHexStringLower(announcement.SignerKeyId.Span));
            return;
        }
        lock (_gate)
        {
            if (_announced is { } last && announcement.IssuedMs < last.IssuedMs) return; // an older announcement, overtaken
            bool changed = _announced is not { } previous || !SameKeys(previous, announcement);
            _announced = announcement;
            if (!changed) return;
            if (_file is { } file) Save(file, announcement);
        }
        _verifier?.Trust(Trusted());
        LogLearned(_logger, string.Join(", ", announcement.Keys.Select(Describe)), _file ?? "memory only");
    }

    private static bool SameKeys(KeySetPacket a, KeySetPacket b) =>
        a.Keys.Count == b.Keys.Count && a.Keys.Zip(b.Keys).All(p => p.First.PublicKey.Span.SequenceEqual(p.Second.PublicKey.Span)
            && p.First.ActivateMs == p.Second.ActivateMs && p.First.RetireMs == p.Second.RetireMs && p.First.Revoked == p.Second.Revoked);

    private static string Describe(AnnouncedKey key) =>
        $"{KeyNames.KeyId(key.PublicKey.Span)}{(key.Revoked ? " revoked" : key.RetireMs != 0 ? $" until {DateTimeOffset.FromUnixTimeMilliseconds((long)key.RetireMs):O}" : "")}";

    private void Save(string file, KeySetPacket announcement)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            string aside = $"{file}.{Guid.NewGuid():N}.new"; // agents sharing a data folder never write the same temporary file
            File.WriteAllBytes(aside, FrameCodec.ToArray(announcement));
            File.Move(aside, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogSaveFailed(_logger, file, e.Message);
        }
    }

    private KeySetPacket? Load()
    {
        if (_file is not { } file || !File.Exists(file)) return null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(_logger, file, e.Message);
            return null;
        }
        if (FrameCodec.TryParse(new ReadOnlySequence<byte>(bytes), ushort.MaxValue, out var frame, out var consumed) == ParseStatus.Complete
            && consumed.GetInteger() == bytes.Length && FrameCodec.TryRead(frame, out KeySetPacket announcement))
            return announcement;
        LogUnreadable(_logger, file, "not a coordinator key set");
        return null;
    }

    /// <summary>A list that reads the trusted keys each time it is enumerated (the handshake picks the signer's key from it).</summary>
    private sealed class LiveKeys(CoordinatorTrust trust) : IReadOnlyList<byte[]>
    {
        public byte[] this[int index] => trust.Trusted()[index].Key;
        public int Count => trust.Trusted().Count;
        public IEnumerator<byte[]> GetEnumerator() => trust.Trusted().Select(k => k.Key).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [LoggerMessage(EventId = 5600, Level = LogLevel.Information, Message = "Learned the coordinator key set: {Keys} (kept in {File})")]
    private static partial void LogLearned(ILogger logger, string keys, string file);

    [LoggerMessage(EventId = 5601, Level = LogLevel.Warning, Message = "Ignored a KEY_SET signed by key {KeyId}, which is not trusted here")]
    private static partial void LogUntrusted(ILogger logger, string keyId);

    [LoggerMessage(EventId = 5602, Level = LogLevel.Warning, Message = "Could not keep the coordinator key set in {File}: {Reason}; it is trusted until this process restarts")]
    private static partial void LogSaveFailed(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 5603, Level = LogLevel.Warning, Message = "Could not read {File} ({Reason}); trusting the pinned key only until the coordinator announces its set")]
    private static partial void LogUnreadable(ILogger logger, string file, string reason);
}
