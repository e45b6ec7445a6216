using System.ComponentModel.DataAnnotations;
using System.Net;
using P2PCluster.HostAgent.Maps;
using P2PCluster.Hosting;

namespace P2PCluster.HostAgent;

/// <summary><c>maps:</c> how map instances run: their ports, and the built-in instance or an external command.</summary>
[ConfigSection("maps")]
public sealed class MapsOptions : IValidatableObject
{
    /// <summary>Each instance listens on a free port of [start, end]; <c>advertised_host:start</c> is the IDENTIFY endpoint.</summary>
    [ConfigKey("port_range_start"), Range(1, 65535, ErrorMessage = "must be a TCP port between {1} and {2}")]
    public int PortRangeStart { get; set; } = 6200;

    [ConfigKey("port_range_end"), Range(1, 65535, ErrorMessage = "must be a TCP port between {1} and {2}")]
    public int PortRangeEnd { get; set; } = 6299;

    /// <summary>IP address the built-in instance listens on (and where an external command's port is checked free).</summary>
    [ConfigKey("bind_address"), CustomValidation(typeof(MapsOptions), nameof(ValidateBindAddress))]
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>
    /// Empty: the built-in instance. Otherwise a command per map, split into arguments on whitespace (single or
    /// double quotes group words; no shell), with {map}, {port}, {epoch} and {max_players} replaced in each argument.
    /// </summary>
    [ConfigKey("command"), CustomValidation(typeof(MapsOptions), nameof(ValidateCommand))]
    public string Command { get; set; } = "";

    /// <summary>First delay before an exited command is restarted; doubles (to 30 s) while it keeps exiting quickly.</summary>
    [ConfigKey("restart_backoff_ms"), Range(10, 30_000, ErrorMessage = "must be between {1} and {2} milliseconds")]
    public int RestartBackoffMs { get; set; } = 1000;

    /// <summary>The parsed <see cref="Command"/>, or null for the built-in instance.</summary>
    public CommandTemplate? ParsedCommand => CommandTemplate.TryParse(Command, out var template, out _) ? template : null;

    /// <summary>Checked only once every key is valid on its own (DataAnnotations runs this after the attributes).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PortRangeEnd < PortRangeStart)
            yield return new ValidationResult($"must not be below maps.port_range_start ({PortRangeStart})", [nameof(PortRangeEnd)]);
    }

    public static ValidationResult? ValidateBindAddress(string value, ValidationContext context) =>
        IPAddress.TryParse(value, out _) ? ValidationResult.Success : new ValidationResult("must be an IP address literal (0.0.0.0 for all interfaces)", [context.MemberName!]);

    public static ValidationResult? ValidateCommand(string value, ValidationContext context) =>
        string.IsNullOrWhiteSpace(value) || CommandTemplate.TryParse(value, out _, out string? error)
            ? ValidationResult.Success
            : new ValidationResult(error, [context.MemberName!]);
}
