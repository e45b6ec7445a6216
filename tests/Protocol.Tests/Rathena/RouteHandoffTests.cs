using P2PCluster.Protocol.Rathena;

namespace P2PCluster.Protocol.Tests.Rathena;

/// <summary>A coordinator route handed to a stock client in rAthena's own packets, byte for byte.</summary>
public sealed class RouteHandoffTests
{
    private static RouteInfo Route(string endpoint) => new("geffen", 0, "h0123456789abcdef0123", endpoint, 4, 1764115260000, [1, 2, 3]);

    [Fact]
    public void AWarpToAP2PHostIsServerMoveWithItsAddress()
    {
        var bytes = RouteHandoff.ServerMove(Route("198.51.100.7:6151"), 119, 59, HandoffVariant.Classic).ToArray();
        // 0x0092 · "geffen.gat" in 16 bytes · x 119 · y 59 · 198.51.100.7 network order · port 6151 little-endian
        Assert.Equal("9200" + "67656666656E2E676174000000000000" + "7700" + "3B00" + "C6336407" + "0718", Convert.ToHexString(bytes));
        var extended = RouteHandoff.ServerMove(Route("198.51.100.7:6151"), 119, 59, HandoffVariant.Extended).ToArray();
        Assert.Equal(156, extended.Length);
        Assert.Equal("C70A", Convert.ToHexString(extended[..2]));
        Assert.Equal(bytes[2..], extended[2..28]);
    }

    [Fact]
    public void EnteringFromCharSelectIsNotifyZoneServer()
    {
        var bytes = RouteHandoff.NotifyZoneServer(Route("198.51.100.7:6151"), 150000, HandoffVariant.Classic).ToArray();
        // 0x0071 · char 150000 · "geffen.gat" · address · port
        Assert.Equal("7100" + "F0490200" + "67656666656E2E676174000000000000" + "C6336407" + "0718", Convert.ToHexString(bytes));
    }

    [Theory]
    [InlineData("host.example:6151")]
    [InlineData("[2001:db8::7]:6151")]
    [InlineData("198.51.100.7")]
    [InlineData("198.51.100.7:0")]
    public void RoutesRathenaCannotCarryAreRefusedWithAReason(string endpoint)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => RouteHandoff.ServerMove(Route(endpoint), 1, 1, HandoffVariant.Classic));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }
}
