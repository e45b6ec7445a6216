using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;

namespace P2PCluster.Hosting;

/// <summary>
/// <c>logging:</c> where a daemon's log goes (docs/operations.md, "Logs"): the console by default (journald under
/// systemd), optionally also a file that SIGUSR1 reopens, in text or JSON.
/// </summary>
[ConfigSection("logging")]
public sealed class LoggingSettings : IValidatableObject
{
    /// <summary>Log file appended to (created with mode 0640, its folder too); empty: no file.</summary>
    [ConfigKey("file"), CustomValidation(typeof(LoggingSettings), nameof(ValidateFile))]
    public string FilePath { get; set; } = "";

    /// <summary>The file's format.</summary>
    [ConfigKey("format")]
    public LogFormat Format { get; set; } = LogFormat.Text;

    /// <summary>Whether the console (stdout; journald under systemd) gets the log too.</summary>
    [ConfigKey("console")]
    public bool ConsoleEnabled { get; set; } = true;

    /// <summary>The console's format: text (journald's priority prefixes under systemd) or JSON (e.g. in a container).</summary>
    [ConfigKey("console_format")]
    public LogFormat ConsoleFormat { get; set; } = LogFormat.Text;

    /// <summary>The lowest level logged. Orleans' and ASP.NET's own categories stay at warning unless this is higher.</summary>
    [ConfigKey("level")]
    public LogLevel Level { get; set; } = LogLevel.Information;

    public bool HasFile => FilePath.Length > 0;

    /// <summary>Checked only once every key is valid on its own (DataAnnotations runs this after the attributes).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ConsoleEnabled && !HasFile)
            yield return new ValidationResult("needs logging.file: with neither, nothing would be logged", [nameof(ConsoleEnabled)]);
    }

    public static ValidationResult? ValidateFile(string value, ValidationContext context)
    {
        if (value.Length == 0) return ValidationResult.Success;
        if (string.IsNullOrWhiteSpace(value) || value.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            return new ValidationResult("must be a file path (or empty for no file)", [context.MemberName!]);
        if (value.EndsWith('/') || value.EndsWith(Path.DirectorySeparatorChar))
            return new ValidationResult("names a folder; give the file, e.g. /var/log/rathena/p2p/coordinator.log", [context.MemberName!]);
        return ValidationResult.Success;
    }

    /// <summary>One line for <c>--check-config</c> and start-up messages.</summary>
    public string Describe() =>
        $"logging: file={(HasFile ? $"{FilePath} ({Format.ToString().ToLowerInvariant()})" : "(none)")} "
        + $"console={(ConsoleEnabled ? ConsoleFormat.ToString().ToLowerInvariant() : "off")} level={Level.ToString().ToLowerInvariant()}";
}
