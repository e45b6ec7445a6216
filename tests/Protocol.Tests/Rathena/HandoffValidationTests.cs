using System.Net;
using P2PCluster.Protocol.Rathena;

namespace P2PCluster.Protocol.Tests.Rathena;

public sealed class HandoffValidationTests
{
    private static readonly ZoneServerAddress Zone = new(IPAddress.Parse("192.0.2.17"), 6121);

    [Theory]
    [InlineData(20100803, HandoffVariant.Classic)]
    [InlineData(20170314, HandoffVariant.Classic)]
    [InlineData(20170315, HandoffVariant.Extended)]
    [InlineData(20180620, HandoffVariant.Extended)]
    [InlineData(20211103, HandoffVariant.Extended)]
    public void ClientsFrom20170315GetTheExtendedVariant(int packetVersion, HandoffVariant expected) =>
        Assert.Equal(expected, RathenaHandoff.VariantFor(packetVersion));

    [Theory]
    [InlineData(0)]
    [InlineData(-20180620)]
    [InlineData(2018062)]     // seven digits
    [InlineData(201806201)]   // nine digits
    [InlineData(20181320)]    // month 13
    [InlineData(20170230)]    // 30 February
    public void APacketVersionThatIsNotADateIsRefused(int packetVersion)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RathenaHandoff.VariantFor(packetVersion));
        Assert.Contains("yyyymmdd", e.Message);
    }

    [Theory]
    [InlineData("prontera")]
    [InlineData("yuno_fild01")]  // 11 characters, the most rAthena keeps
    [InlineData("1@tower")]
    [InlineData("x")]
    public void MapNamesRathenaSendsUnchangedAreAccepted(string map)
    {
        var packet = new ServerMovePacket(HandoffVariant.Classic, map, 1, 1, Zone);
        Assert.Equal(map, packet.Map);
    }

    [Theory]
    [InlineData("prontera_fld", "at most 11")]
    [InlineData("prontera.gat", "ends in \".gat\"")]
    [InlineData("PRONTERA.GAT", "ends in \".gat\"")]
    [InlineData("gef.Gat", "ends in \".gat\"")]
    [InlineData("pron\0tera", "NUL")]
    [InlineData("prøntera", "U+00F8")]
    [InlineData("pron tera", "U+0020")]
    [InlineData("1#prontera", "'#'")]
    [InlineData("", "empty")]
    [InlineData(null, "empty")]
    public void MapNamesRathenaWouldAlterAreRefusedWithTheReason(string? map, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => new NotifyZoneServerPacket(HandoffVariant.Extended, 150000, map!, Zone));
        Assert.Contains(reason, e.Message);
        Assert.Equal("Map", e.ParamName);
        Assert.False(RathenaMapName.IsValid(map));
    }

    [Theory]
    [InlineData("2001:db8::1", "not IPv4")]
    [InlineData("::1", "not IPv4")]
    [InlineData("::ffff:192.0.2.1", "MapToIPv4")]
    [InlineData("0.0.0.0", "unicast")]
    [InlineData("255.255.255.255", "unicast")]
    [InlineData("239.1.2.3", "unicast")]
    public void AddressesAClientCannotBeSentToAreRefused(string address, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => new ZoneServerAddress(IPAddress.Parse(address), 6121));
        Assert.Contains(reason, e.Message);
        Assert.Contains(reason, Assert.Throws<ArgumentException>(() => ZoneServerAddress.From(new IPEndPoint(IPAddress.Parse(address), 6121))).Message);
    }

    [Fact]
    public void PortZeroIsRefused()
    {
        Assert.Contains("port 0", Assert.Throws<ArgumentException>(() => new ZoneServerAddress(IPAddress.Loopback, 0)).Message);
        Assert.Contains("port 0", Assert.Throws<ArgumentException>(() => ZoneServerAddress.From(new IPEndPoint(IPAddress.Loopback, 0))).Message);
    }

    [Fact]
    public void AHostnameEndpointIsRefusedBecauseThePacketsCarryFourAddressBytes()
    {
        var e = Assert.Throws<ArgumentException>(() => ZoneServerAddress.From(new DnsEndPoint("zone.example.org", 5121)));
        Assert.Contains("'zone.example.org' is a hostname", e.Message);
        Assert.Contains("domain field", e.Message);
    }

    [Fact]
    public void AnIpv4EndpointKeepsItsAddressAndPort()
    {
        var address = ZoneServerAddress.From(new IPEndPoint(IPAddress.Parse("203.0.113.9"), 5121));
        Assert.Equal(IPAddress.Parse("203.0.113.9"), address.Address);
        Assert.Equal(5121, address.Port);
        Assert.Equal("203.0.113.9:5121", address.ToString());
        Assert.Equal(new ZoneServerAddress(IPAddress.Parse("203.0.113.9"), 5121), address);
        Assert.NotEqual(new ZoneServerAddress(IPAddress.Parse("203.0.113.9"), 5122), address);
    }

    [Fact]
    public void AnUnsetAddressIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ServerMovePacket(HandoffVariant.Classic, "payon", 1, 1, default));
        Assert.Contains("unset", e.Message);
        Assert.Throws<ArgumentException>(() => new NotifyZoneServerPacket(HandoffVariant.Classic, 1, "payon", default));
    }

    [Theory]
    [InlineData(1024, 0, "X")]
    [InlineData(0, 1024, "Y")]
    [InlineData(ushort.MaxValue, 5, "X")]
    public void CoordinatesBeyondTheClientsTenBitsAreRefused(int x, int y, string param)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ServerMovePacket(HandoffVariant.Extended, "payon", (ushort)x, (ushort)y, Zone));
        Assert.Equal(param, e.ParamName);
        Assert.Contains("10 bits", e.Message);
    }

    [Fact]
    public void AnUnknownVariantIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServerMovePacket((HandoffVariant)2, "payon", 1, 1, Zone));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NotifyZoneServerPacket((HandoffVariant)2, 1, "payon", Zone));
        Assert.Throws<ArgumentOutOfRangeException>(() => RathenaHandoff.LengthOf((HandoffVariant)2));
    }

    [Fact]
    public void ADefaultPacketCannotBeWritten()
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.Throws<InvalidOperationException>(() => default(ServerMovePacket).Write(writer));
        Assert.Throws<InvalidOperationException>(() => default(NotifyZoneServerPacket).Write(writer));
        Assert.Equal(0, writer.WrittenCount);
    }
}
