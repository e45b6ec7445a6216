using System.Text.Json;
using P2PCluster.Protocol;

namespace P2PCluster.Hosting.Keys;

/// <summary>
/// The embedded default's key set: a JSON file (mode 0600: it holds private keys) that every process using the same
/// data_dir reads. Writes go to a temporary file renamed over the old one, under a lock file, so a reader sees the old
/// set or the new one, never half of either.
/// </summary>
public sealed class FileCoordinatorKeyStore(string path) : ICoordinatorKeyStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private const int LockAttempts = 100;
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(20);

    public string Path { get; } = path;

    public string Describe => $"key set file {Path}";

    public Task<CoordinatorKeySet> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(Read());

    public async Task<KeySetEdit> UpdateAsync(Func<CoordinatorKeySet, KeySetEdit> change, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        await using var held = await LockAsync(cancellationToken);
        var set = Read();
        var edit = change(set);
        if (edit.Changed.Count == 0) return edit;
        var merged = set.Entries.Where(e => edit.Changed.All(c => c.KeyId != e.KeyId)).Concat(edit.Changed).ToList();
        string temporary = Path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(temporary, options))
        {
            await JsonSerializer.SerializeAsync(stream, merged, Json, cancellationToken);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, Path, overwrite: true);
        return edit;
    }

    private CoordinatorKeySet Read()
    {
        if (!File.Exists(Path)) return CoordinatorKeySet.Empty;
        KeyFiles.RequirePrivateMode(Path);
        try
        {
            var entries = JsonSerializer.Deserialize<List<CoordinatorKeyEntry>>(File.ReadAllBytes(Path), Json);
            if (entries is null || entries.Any(e => e is null || e.KeyId is null || e.PublicKey is not { Length: 32 } || e.PrivateKeyPem is null))
                throw new InvalidDataException($"{Path}: not a key set (an entry lacks keyId, a 32-byte publicKey or privateKeyPem)");
            return new CoordinatorKeySet(entries);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Path}: not a key set: {e.Message}", e);
        }
    }

    private async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < LockAttempts)
            {
                await Task.Delay(LockRetry, cancellationToken);
            }
        }
    }
}
