namespace P2PCluster.HostAgent.Tests;

/// <summary>Where the agent's files are: unchanged relative paths on Linux, under %ProgramData%\P2PCluster on Windows.</summary>
public sealed class AgentPathsTests
{
    private const string HexKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private static readonly AgentPaths Windows = AgentPaths.ForWindows(@"C:\ProgramData");

    [Fact]
    public void LinuxKeepsTodaysRelativeDefaults()
    {
        Assert.False(OperatingSystem.IsWindows());
        Assert.Same(AgentPaths.Posix, AgentPaths.ForThisSystem());
        Assert.Equal("conf/p2p/host_node.conf", AgentPaths.Posix.DefaultConfigFile);

        var settings = HostNodeSettings.Load(Config.Of(), paths: AgentPaths.ForThisSystem());
        Assert.Equal("data/host_ed25519.pem", settings.Identity.KeyFile);
        Assert.Equal("data/coordinator_ed25519.pub.pem", settings.Coordinator.PublicKey);
        Assert.Equal("", settings.Resources.MetricsFile);
    }

    [Fact]
    public void WindowsPutsEverythingUnderProgramData()
    {
        Assert.Equal(@"C:\ProgramData\P2PCluster", Windows.Root);
        Assert.Equal(@"C:\ProgramData\P2PCluster\host_node.conf", Windows.DefaultConfigFile);
        Assert.Equal(@"D:\Data\P2PCluster\host_node.conf", AgentPaths.ForWindows(@"D:\Data\").DefaultConfigFile);

        var settings = HostNodeSettings.Load(Config.Of(("resources:metrics_file", "fake/load.txt")), paths: Windows);
        Assert.Equal(@"C:\ProgramData\P2PCluster\data\host_ed25519.pem", settings.Identity.KeyFile);
        Assert.Equal(@"C:\ProgramData\P2PCluster\data\coordinator_ed25519.pub.pem", settings.Coordinator.PublicKey);
        Assert.Equal(@"C:\ProgramData\P2PCluster\fake\load.txt", settings.Resources.MetricsFile);
        // coordinator_keyset.bin lives beside the key file, so it follows.
        Assert.Contains($"identity: key_file={settings.Identity.KeyFile} ", string.Join('\n', settings.Describe()));
    }

    [Fact]
    public void WindowsKeepsAbsolutePathsAndInlineKeys()
    {
        var settings = HostNodeSettings.Load(Config.Of(("identity:key_file", @"E:\keys\host.pem"), ("coordinator:public_key", HexKey),
            ("resources:metrics_file", @"\\server\share\load.txt")), paths: Windows);
        Assert.Equal(@"E:\keys\host.pem", settings.Identity.KeyFile);
        Assert.Equal(HexKey, settings.Coordinator.PublicKey);
        Assert.Equal(@"\\server\share\load.txt", settings.Resources.MetricsFile);

        string pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n";
        Assert.Equal(pem, HostNodeSettings.Load(Config.Of(("coordinator:public_key", pem)), paths: Windows).Coordinator.PublicKey);
    }
}
