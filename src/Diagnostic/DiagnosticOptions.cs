using System.CommandLine;
using P2PCluster.Cli;
using P2PCluster.Hosting;

namespace P2PCluster.Diagnostic;

/// <summary>
/// p2p-diagnostic's options: which areas to check, where p2p.conf and the admin API are, the key, and the thresholds.
/// <see cref="Read"/> checks them and loads the configuration with the silo's own loader.
/// </summary>
public sealed class DiagnosticOptions
{
    /// <summary>Not <c>P2P_ADMIN_…</c>: every other <c>P2P_</c> variable is a p2p.conf key, and a silo started from the same shell would refuse it.</summary>
    public const string UrlVariable = "P2P_CONTROL_URL";
    public const string KeyVariable = "P2P_CONTROL_KEY";

    public Option<bool> Security { get; } = new("--security") { Description = "Key files and age, encryption, approval, admin API transport, database grants, refused writes, banned hosts" };
    public Option<bool> Network { get; } = new("--network") { Description = "Ports reachable from here, hosts' endpoints reachable from the cluster, private addresses, clock skew" };
    public Option<bool> Performance { get; } = new("--performance") { Description = "Heartbeat, resolve and save latency (p99), overloaded hosts, maps on VPS that could be on P2P, silo CPU and memory" };

    public Option<string?> Config { get; } = new("--config") { Description = $"The cluster's p2p.conf (default {CoordinatorSettings.DefaultPath}), read like the silo reads it, P2P_section__key variables included", HelpName = "file" };

    public Option<string?> ApiUrl { get; } = new("--api-url")
    {
        Description = $"The admin API, e.g. http://127.0.0.1:8080/api/v1 (default: {UrlVariable}, else the first http.urls of the configuration)",
        HelpName = "url",
    };

    public Option<string?> ApiKeyFile { get; } = new("--api-key-file")
    {
        Description = $"A file holding an admin API key, role read (default: {KeyVariable}, else security.data_dir/admin_api.key when present)",
        HelpName = "file",
    };

    public Option<string?> Host { get; } = new("--host") { Description = "Where the coordinator's ports are dialled (default: coordinator.bind_address, or 127.0.0.1 when it binds every address)", HelpName = "address" };

    public Option<int> TimeoutMs { get; } = NumberOptions.Validated(new Option<int>("--timeout-ms")
    {
        Description = "Longest wait of one connection or request, milliseconds (100-60000)",
        DefaultValueFactory = _ => 3000,
    }, v => v is >= 100 and <= 60_000, "--timeout-ms: must be 100 to 60000 milliseconds");

    public Option<int> MaxKeyAgeDays { get; } = NumberOptions.Validated(new Option<int>("--max-key-age-days")
    {
        Description = "Rotation policy: a coordinator key older than this is a warning, twice as old critical (1-3650)",
        DefaultValueFactory = _ => 90,
    }, v => v is >= 1 and <= 3650, "--max-key-age-days: must be 1 to 3650 days");

    public Option<int> SlowMs { get; } = NumberOptions.Validated(new Option<int>("--slow-ms")
    {
        Description = "A p99 latency above this is a warning, above four times it critical (1-60000)",
        DefaultValueFactory = _ => 250,
    }, v => v is >= 1 and <= 60_000, "--slow-ms: must be 1 to 60000 milliseconds");

    public Option<bool> Json { get; } = new("--json") { Description = "Machine-readable output: one JSON object per line, with an \"event\" field" };

    public IEnumerable<Option> All => [Security, Network, Performance, Config, ApiUrl, ApiKeyFile, Host, TimeoutMs, MaxKeyAgeDays, SlowMs, Json];

    /// <summary>Checks and reads the values; throws <see cref="DiagnosticException"/> (exit 2) naming the option or key at fault.</summary>
    public DiagnosticArguments Read(ParseResult result)
    {
        CoordinatorSettings settings;
        try
        {
            settings = CoordinatorSettings.Load(result.GetValue(Config));
        }
        catch (ConfigurationException e)
        {
            // P2PConfiguration names --config itself for a missing file; every other error names the key in the file.
            string errors = string.Join("; ", e.Errors);
            throw new DiagnosticException(ExitCodes.BadArguments, errors.StartsWith("--config", StringComparison.Ordinal) ? errors : $"--config: {errors}");
        }

        bool security = result.GetValue(Security), network = result.GetValue(Network), performance = result.GetValue(Performance);
        if (!security && !network && !performance) security = network = performance = true;

        return new DiagnosticArguments(security, network, performance, settings, ReadUrl(result, settings), ReadKey(result, settings),
            ReadHost(result, settings), TimeSpan.FromMilliseconds(result.GetValue(TimeoutMs)), result.GetValue(MaxKeyAgeDays),
            result.GetValue(SlowMs), result.GetValue(Json));
    }

    private Uri ReadUrl(ParseResult result, CoordinatorSettings settings)
    {
        string? text = result.GetValue(ApiUrl) ?? Environment.GetEnvironmentVariable(UrlVariable);
        string option = result.GetValue(ApiUrl) is not null ? "--api-url" : UrlVariable;
        if (text is null)
        {
            string first = settings.Http.UrlList.FirstOrDefault()
                ?? throw DiagnosticException.BadArgument("--api-url", "required: http.urls is empty in the configuration, so the admin API is not served there");
            text = first.Replace("://0.0.0.0", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://+", "://127.0.0.1").Replace("://[::]", "://[::1]") + "/api/v1";
            option = "http.urls";
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw DiagnosticException.BadArgument(option, $"'{text}' is not an http:// or https:// URL");
        return new Uri(uri.AbsoluteUri.TrimEnd('/') + "/");
    }

    private (string? Key, string Source) ReadKey(ParseResult result, CoordinatorSettings settings)
    {
        if (result.GetValue(ApiKeyFile) is { } file)
            return (ReadKeyFile(file, "--api-key-file") ?? throw DiagnosticException.BadArgument("--api-key-file", $"file '{Path.GetFullPath(file)}' does not exist"), file);
        if (Environment.GetEnvironmentVariable(KeyVariable) is { Length: > 0 } key) return (key.Trim(), KeyVariable);
        string development = Path.Combine(settings.Security.DataDir, "admin_api.key");
        return (ReadKeyFile(development, "security.data_dir"), development);
    }

    private static string? ReadKeyFile(string file, string option)
    {
        string full = Path.GetFullPath(file);
        if (!File.Exists(full)) return null;
        try
        {
            string key = File.ReadAllText(full).Trim();
            return key.Length > 0 ? key : throw DiagnosticException.BadArgument(option, $"file '{full}' is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DiagnosticException.BadArgument(option, $"cannot read '{full}': {e.Message}");
        }
    }

    private string ReadHost(ParseResult result, CoordinatorSettings settings)
    {
        if (result.GetValue(Host) is { } host)
        {
            if (Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown) throw DiagnosticException.BadArgument("--host", $"'{host}' is not an IP address or host name");
            return host.Trim('[', ']');
        }
        string bind = settings.Coordinator.BindAddress;
        return bind is "0.0.0.0" ? "127.0.0.1" : bind is "::" ? "::1" : bind;
    }
}
