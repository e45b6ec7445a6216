using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Hosting.Tests;

public sealed class NamesTests
{
    [Theory]
    [InlineData("prontera", true)]
    [InlineData("prt_fild08", true)]
    [InlineData("1@tower", true)]
    [InlineData("", false)]
    [InlineData("abcdefghijkl", false)] // 12 > varchar(11)
    [InlineData("pron tera", false)]
    [InlineData("prontera;--", false)]
    public void MapNames(string name, bool valid) => Assert.Equal(valid, Names.IsValidMapName(name));

    [Theory]
    [InlineData("127.0.0.1:5121", true)]
    [InlineData("[::1]:5121", true)]
    [InlineData("host.example.org:6900", true)]
    [InlineData("127.0.0.1:0", false)]
    [InlineData("127.0.0.1:70000", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData(":5121", false)]
    [InlineData("bad host:5121", false)]
    public void Endpoints(string endpoint, bool valid) => Assert.Equal(valid, Names.IsValidEndpoint(endpoint));
}
