using System.ComponentModel.DataAnnotations;

namespace P2PCluster.Hosting;

/// <summary><c>admin:</c> the admin HTTP API under /api/v1 (docs/admin-api.md): its keys, transport and failed-attempt limit.</summary>
[ConfigSection("admin")]
public sealed class AdminSettings : IValidatableObject
{
    [ConfigKey("api_keys")]
    public IReadOnlyList<AdminKeySettings> ApiKeys { get; set; } = [];

    /// <summary>A file of more keys, one <c>name role sha256</c> per line (<see cref="AdminKeysFile"/>); empty: none.</summary>
    [ConfigKey("keys_file")]
    public string KeysFile { get; set; } = "";

    /// <summary>Serve the API over plain HTTP on a non-loopback address (keys readable on the wire): development only.</summary>
    [ConfigKey("allow_insecure_http")]
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Failed attempts (missing or wrong key) one client address may make per minute; past it 429 with Retry-After.</summary>
    [ConfigKey("max_failed_attempts"), Range(1, 100_000, ErrorMessage = "must be between {1} and {2} a minute")]
    public int MaxFailedAttempts { get; set; } = 10;

    /// <summary>The entries of <see cref="KeysFile"/>, read by <see cref="CoordinatorSettings.Load(Microsoft.Extensions.Configuration.IConfiguration, string?)"/>.</summary>
    public IReadOnlyList<AdminKeySettings> FileKeys { get; private set; } = [];

    /// <summary>Every configured key: <c>api_keys</c>, then the keys file's.</summary>
    public IEnumerable<AdminKeySettings> AllKeys => ApiKeys.Concat(FileKeys);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(KeysFile)) yield break;
        var (keys, errors) = AdminKeysFile.Read(KeysFile);
        foreach (string error in errors) yield return new ValidationResult(error, [nameof(KeysFile)]);
        if (errors.Count == 0) FileKeys = keys;
    }

    /// <summary>Errors across both sources: a name used twice.</summary>
    public IEnumerable<string> DuplicateNames() =>
        AllKeys.GroupBy(k => k.Name, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"admin.api_keys: the key name '{g.Key}' is used {g.Count()} times (api_keys and keys_file together); names must be unique");
}
