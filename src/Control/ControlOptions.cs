using System.CommandLine;

namespace P2PCluster.Control;

/// <summary>
/// The options every command shares (where the admin API is, which key to send, output, timeout), recursive so they
/// go before or after a subcommand. <see cref="ConnectionSettings.Read"/> resolves them with the environment and the
/// config file.
/// </summary>
public sealed class ControlOptions
{
    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"The admin API's base URL, e.g. https://coordinator:8443 (else ${ConnectionSettings.UrlVariable}, the config file, or {ConnectionSettings.DefaultUrl})",
        HelpName = "url",
        Recursive = true,
    };

    public Option<string?> KeyFile { get; } = new("--key-file")
    {
        Description = $"A file holding the API key (else ${ConnectionSettings.KeyVariable} or ${ConnectionSettings.KeyFileVariable}, the config file, " +
            $"or {ConnectionSettings.DefaultKeyFile} as an embedded-default silo run from this folder writes it)",
        HelpName = "path",
        Recursive = true,
    };

    public Option<string?> Config { get; } = new("--config")
    {
        Description = $"Config file with url, key_file or key (else ${ConnectionSettings.ConfigVariable}, or {ConnectionSettings.DefaultConfigHint} if it exists)",
        HelpName = "path",
        Recursive = true,
    };

    public Option<int> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds to wait for one answer from the API, 1-3600 (an emergency failover answers once every map has moved)",
        HelpName = "seconds",
        DefaultValueFactory = _ => 300,
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Machine-readable output: one JSON object per line, with an \"event\" field",
        Recursive = true,
    };

    public IEnumerable<Option> All => [Url, KeyFile, Config, Timeout, Json];
}
