namespace P2PCluster.Deploy.Tests;

/// <summary>A unit file of deploy/systemd read as key/value lines per section (enough to check what we ship).</summary>
public sealed record UnitFile(string Name, string Text)
{
    public static string Folder => Path.Combine(TestSupport.RepoPaths.Root, "deploy", "systemd");

    public static IReadOnlyList<string> Names { get; } = ["p2p-coordinator.service", "p2p-gateway.service", "p2p-host-agent.service"];

    public static UnitFile Read(string name) => new(name, File.ReadAllText(Path.Combine(Folder, name)));

    /// <summary>Every value assigned to <paramref name="key"/> (a directive may appear more than once).</summary>
    public IReadOnlyList<string> Values(string key) =>
        [.. Text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => !line.StartsWith('#') && line.StartsWith(key + "=", StringComparison.Ordinal))
            .Select(line => line[(key.Length + 1)..])];

    /// <summary>The one value of <paramref name="key"/>; fails naming the unit if it is missing or repeated.</summary>
    public string Value(string key)
    {
        var values = Values(key);
        Assert.True(values.Count == 1, $"{Name}: expected one {key}=, found {values.Count}");
        return values[0];
    }
}
