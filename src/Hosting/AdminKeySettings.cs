using System.ComponentModel.DataAnnotations;

namespace P2PCluster.Hosting;

/// <summary>
/// One entry of <c>admin.api_keys</c> (or a line of <c>admin.keys_file</c>): who the key is, its role, and the SHA-256
/// of the key (never the key itself: <c>printf %s "$KEY" | sha256sum</c>).
/// </summary>
public sealed class AdminKeySettings : IValidatableObject
{
    /// <summary>Longest key name; names appear in the audit and the log.</summary>
    public const int MaxNameLength = 64;

    [ConfigKey("name")]
    public string Name { get; set; } = "";

    [ConfigKey("role")]
    public AdminRole? Role { get; set; }

    /// <summary>64 hex digits: SHA-256 of the key's UTF-8 text.</summary>
    [ConfigKey("sha256")]
    public string Sha256 { get; set; } = "";

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxNameLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '@');

    public static bool IsValidHash(string hash) => hash.Length == 64 && hash.All(char.IsAsciiHexDigit);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsValidName(Name))
            yield return new ValidationResult($"must be 1–{MaxNameLength} characters of [A-Za-z0-9_.@-]", [nameof(Name)]);
        if (Role is null)
            yield return new ValidationResult("required: read or operate", [nameof(Role)]);
        if (!IsValidHash(Sha256))
            yield return new ValidationResult("must be the 64 hex digits of the key's SHA-256 (printf %s \"$KEY\" | sha256sum)", [nameof(Sha256)]);
    }
}
