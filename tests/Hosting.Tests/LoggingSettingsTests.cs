using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using P2PCluster.HostAgent;

namespace P2PCluster.Hosting.Tests;

/// <summary><c>logging:</c> in p2p.conf and host_node.conf: defaults, and every bad value named by its key.</summary>
public sealed class LoggingSettingsTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-logging-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void DefaultIsTheConsoleAloneInTextAtInformation()
    {
        foreach (var logging in new[] { CoordinatorSettings.Load(Config()).Logging, HostNodeSettings.Load(Config()).Logging })
        {
            Assert.False(logging.HasFile);
            Assert.True(logging.ConsoleEnabled);
            Assert.Equal(LogFormat.Text, logging.Format);
            Assert.Equal(LogFormat.Text, logging.ConsoleFormat);
            Assert.Equal(LogLevel.Information, logging.Level);
        }
    }

    [Fact]
    public void ShippedFilesKeepTheDefaults()
    {
        foreach (string file in (string[])["p2p.conf", "host_node.conf"])
        {
            var configuration = P2PConfiguration.Build(Path.Combine(TestSupport.RepoPaths.Root, "conf", "p2p", file), "unused");
            var logging = file == "p2p.conf" ? CoordinatorSettings.Load(configuration).Logging : HostNodeSettings.Load(configuration).Logging;
            Assert.Equal("logging: file=(none) console=text level=information", logging.Describe());
        }
    }

    [Fact]
    public void EveryKeyIsRead()
    {
        var logging = HostNodeSettings.Load(Config(("logging:file", "/var/log/rathena/p2p/host-agent.log"), ("logging:format", "json"),
            ("logging:console", "false"), ("logging:console_format", "JSON"), ("logging:level", "debug"))).Logging;
        Assert.Equal("/var/log/rathena/p2p/host-agent.log", logging.FilePath);
        Assert.Equal(LogFormat.Json, logging.Format);
        Assert.False(logging.ConsoleEnabled);
        Assert.Equal(LogFormat.Json, logging.ConsoleFormat);
        Assert.Equal(LogLevel.Debug, logging.Level);
        Assert.Equal("logging: file=/var/log/rathena/p2p/host-agent.log (json) console=off level=debug", logging.Describe());
    }

    [Fact]
    public void BadValuesNameTheirKeys()
    {
        var e = Assert.Throws<ConfigurationException>(() => CoordinatorSettings.Load(Config(("logging:format", "xml"),
            ("logging:console_format", "pretty"), ("logging:level", "loud"), ("logging:console", "maybe"), ("logging:colour", "red"))));
        Assert.Contains("logging.format: 'xml' is not one of: text, json", e.Errors);
        Assert.Contains("logging.console_format: 'pretty' is not one of: text, json", e.Errors);
        Assert.Contains("logging.level: 'loud' is not one of: trace, debug, information, warning, error, critical, none", e.Errors);
        Assert.Contains("logging.console: 'maybe' is not a boolean (true or false)", e.Errors);
        Assert.Contains(e.Errors, m => m.StartsWith("logging.colour: unknown key"));
    }

    [Fact]
    public void NoConsoleAndNoFileIsRejected()
    {
        var e = Assert.Throws<ConfigurationException>(() => HostNodeSettings.Load(Config(("logging:console", "false"))));
        Assert.Contains("logging.console = false: needs logging.file: with neither, nothing would be logged", e.Errors);
    }

    [Fact]
    public void AFolderIsNotALogFile()
    {
        var e = Assert.Throws<ConfigurationException>(() => CoordinatorSettings.Load(Config(("logging:file", "/var/log/rathena/p2p/"))));
        Assert.Contains(e.Errors, m => m.StartsWith("logging.file = '/var/log/rathena/p2p/': names a folder"));
    }

    [Fact]
    public void AFileThatCannotBeOpenedStopsStartNamingTheKey()
    {
        string notAFolder = Path.Combine(_dir.FullName, "plain-file");
        File.WriteAllText(notAFolder, "");
        string path = Path.Combine(notAFolder, "silo.log");
        var e = Assert.Throws<ConfigurationException>(() => LogFile.Check(path));
        Assert.StartsWith($"logging.file: cannot open '{path}' for appending: ", e.Errors.Single());
    }

    [Fact]
    public void CheckCreatesTheFileAndItsFolderReadableByOwnerAndGroupOnly()
    {
        string path = Path.Combine(_dir.FullName, "logs", "p2p", "silo.log");
        Assert.Equal(path, LogFile.Check(path));
        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
    }
}
