using P2PCluster.HostAgent.Maps;

namespace P2PCluster.HostAgent.Tests;

public sealed class CommandTemplateTests
{
    [Fact]
    public void SplitsOnWhitespaceAndReplacesPlaceholdersInsideEachArgument()
    {
        Assert.True(CommandTemplate.TryParse("  /opt/rathena/map-server --map {map}   --port={port} --epoch {epoch} -n{max_players} ", out var t, out _));
        Assert.Equal(["/opt/rathena/map-server", "--map", "prontera", "--port=6201", "--epoch", "7", "-n50"], t.Expand("prontera", 6201, 7, 50));
    }

    [Fact]
    public void QuotesGroupWordsAndNoValueBecomesTwoArguments()
    {
        Assert.True(CommandTemplate.TryParse("/bin/sh -c 'echo {map} \"x\"; exit 1' \"a b\"'c' ''", out var t, out _));
        Assert.Equal(["/bin/sh", "-c", "echo my map \"x\"; exit 1", "a bc", ""], t.Expand("my map", 1, 1, 1));
    }

    [Theory]
    [InlineData("", "names no program")]
    [InlineData("   ", "names no program")]
    [InlineData("run \"{map}", "unbalanced \" quote")]
    [InlineData("run {mapname}", "unknown placeholder {mapname}")]
    public void BadTemplatesSayWhy(string text, string expected)
    {
        Assert.False(CommandTemplate.TryParse(text, out _, out string? error));
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void ShellBracesAreNotPlaceholders()
    {
        Assert.True(CommandTemplate.TryParse("/bin/sh -c '{ echo; }'", out var t, out _));
        Assert.Equal("{ echo; }", t.Expand("m", 1, 1, 1)[2]);
    }
}
