namespace P2PCluster.Control;

/// <summary>
/// Where the admin API is and the key to send, resolved in this order: the option, the environment, the config file,
/// the default. Every problem is exit 2 naming where the bad value came from (the option, variable or file and key).
/// </summary>
public sealed record ConnectionSettings(Uri BaseUrl, string Key, string KeyOrigin, TimeSpan Timeout)
{
    public const string DefaultUrl = "http://127.0.0.1:8080";
    public const string DefaultKeyFile = "data/admin_api.key";
    public const string DefaultConfigHint = "~/.config/p2p/control.conf";
    public const string UrlVariable = "P2P_CONTROL_URL";
    public const string KeyVariable = "P2P_CONTROL_KEY";
    public const string KeyFileVariable = "P2P_CONTROL_KEY_FILE";
    public const string ConfigVariable = "P2P_CONTROL_CONFIG";

    /// <summary>Never prints the key.</summary>
    public override string ToString() => $"{BaseUrl} (key from {KeyOrigin})";

    public static ConnectionSettings Read(string? urlOption, string? keyFileOption, string? configOption, int timeoutSeconds)
    {
        if (timeoutSeconds is < 1 or > 3600)
            throw ControlException.BadArgument("--timeout", $"{timeoutSeconds} is out of range: 1-3600 seconds");
        var config = LoadConfig(configOption);

        var (url, urlOrigin) = Pick(("--url", urlOption), (UrlVariable, Env(UrlVariable)), (config.UrlOrigin, config.Url), ("default", DefaultUrl));
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment))
            throw ControlException.BadArgument(urlOrigin!, $"'{url}' is not an http:// or https:// URL");
        // The API's own prefix may be given too (it is what the docs' curl examples use).
        string trimmed = baseUrl.AbsolutePath.TrimEnd('/');
        if (trimmed.EndsWith("/api/v1", StringComparison.Ordinal))
            baseUrl = new Uri(baseUrl, trimmed[..^"/api/v1".Length] + "/");

        string? envKey = Env(KeyVariable);
        if (keyFileOption is null && envKey is not null) return new(baseUrl, Check(envKey, KeyVariable), KeyVariable, TimeSpan.FromSeconds(timeoutSeconds));
        var (keyFile, keyOrigin) = Pick(("--key-file", keyFileOption), (KeyFileVariable, Env(KeyFileVariable)));
        if (keyFile is null && config.Key is not null) return new(baseUrl, Check(config.Key, $"{config.Path}: key"), $"{config.Path}", TimeSpan.FromSeconds(timeoutSeconds));
        if (keyFile is null && config.KeyFile is not null) (keyFile, keyOrigin) = (config.KeyFile, $"{config.Path}: key_file");
        if (keyFile is null && File.Exists(DefaultKeyFile)) (keyFile, keyOrigin) = (DefaultKeyFile, "--key-file");
        if (keyFile is null)
            throw ControlException.BadArgument("--key-file",
                $"no API key: give --key-file, set {KeyVariable} or {KeyFileVariable}, or name key_file in the config file ({DefaultKeyFile} does not exist here)");
        string key;
        try
        {
            key = File.ReadAllText(keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ControlException.BadArgument(keyOrigin!, $"cannot read the key file {keyFile}: {e.Message}");
        }
        return new(baseUrl, Check(key, $"{keyOrigin} ({keyFile})"), keyFile, TimeSpan.FromSeconds(timeoutSeconds));
    }

    private static ControlConfig LoadConfig(string? option)
    {
        if (option is not null) return ControlConfig.Load(option, "--config");
        if (Env(ConfigVariable) is { } fromEnv) return ControlConfig.Load(fromEnv, ConfigVariable);
        string home = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        string path = Path.Combine(home, "p2p", "control.conf");
        return File.Exists(path) ? ControlConfig.Load(path, "--config") : ControlConfig.None;
    }

    private static string Check(string key, string origin)
    {
        key = key.Trim();
        if (key.Length == 0 || key.Any(char.IsControl) || key.Contains(' '))
            throw ControlException.BadArgument(origin, "the API key is empty or has spaces or control characters");
        return key;
    }

    private static (string? Value, string? Origin) Pick(params (string Origin, string? Value)[] candidates)
    {
        foreach (var (origin, value) in candidates)
            if (value is not null) return (value, origin);
        return (null, null);
    }

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
