using Microsoft.Extensions.Configuration;

namespace P2PCluster.Hosting;

/// <summary>Builds configuration from a YAML file overridden by <c>P2P_&lt;section&gt;__&lt;key&gt;</c> environment variables.</summary>
public static class P2PConfiguration
{
    public const string EnvironmentPrefix = "P2P_";

    /// <summary>
    /// Loads <paramref name="explicitPath"/> (which must exist) or else <paramref name="defaultPath"/> (optional: a
    /// missing default file means built-in defaults), then the environment.
    /// </summary>
    public static IConfigurationRoot Build(string? explicitPath, string defaultPath)
    {
        string path = explicitPath ?? defaultPath;
        string full = Path.GetFullPath(path);
        if (explicitPath is not null && !File.Exists(full))
            throw new ConfigurationException([$"--config: file '{full}' does not exist"]);

        var builder = new ConfigurationBuilder();
        if (File.Exists(full))
            builder.AddYamlFile(full, optional: false, reloadOnChange: false);
        builder.Add(new P2PEnvironmentVariables());
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or YamlDotNet.Core.YamlException)
        {
            throw new ConfigurationException([$"{full}: not valid YAML: {e.InnerException?.Message ?? e.Message}"]);
        }
    }

    /// <summary>The file a program reads when no <c>--config</c> is given, if present.</summary>
    public static string? SourceFile(IConfigurationRoot configuration) =>
        configuration.Providers.OfType<FileConfigurationProvider>()
            .Select(p => p.Source.FileProvider is Microsoft.Extensions.FileProviders.PhysicalFileProvider root && p.Source.Path is { } path
                ? Path.Combine(root.Root, path)
                : p.Source.Path)
            .FirstOrDefault();
}
