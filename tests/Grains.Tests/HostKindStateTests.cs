using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newtonsoft.Json;
using Orleans.Serialization;
using Orleans.Storage;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// The one <see cref="HostKind"/> (src/Protocol, issue 16) keeps the numbers the two former enums had: grain state
/// stored before still loads, and Orleans' serializer carries it between silos.
/// </summary>
public sealed class HostKindStateTests
{
    private static JsonGrainStorageSerializer StateSerializer()
    {
        // As src/Silo/StateStorage.cs composes it: Orleans' JSON settings with ObjectCreationHandling.Replace.
        var options = new OrleansJsonSerializerOptions();
        options.JsonSerializerSettings.ObjectCreationHandling = ObjectCreationHandling.Replace;
        return new JsonGrainStorageSerializer(new OrleansJsonSerializer(Options.Create(options)));
    }

    // Written by the silo before the two HostKind enums became one: enum values are stored as numbers, never by name.
    private const string StoredHost =
        """{"$id":"1","$type":"P2PCluster.Grains.HostState, P2PCluster.Grains","Kind":1,"Status":1,"Endpoint":"198.51.100.1:6200","Maps":{"$id":"2","$type":"System.Collections.Generic.Dictionary`2[[System.String, System.Private.CoreLib],[System.Int64, System.Private.CoreLib]], System.Private.CoreLib"},"Reliability":{"$id":"3","$type":"P2PCluster.Grains.Interfaces.HostReliability, P2PCluster.Grains.Interfaces"},"Capacity":{"$id":"4","$type":"P2PCluster.Grains.Interfaces.HostCapacity, P2PCluster.Grains.Interfaces","MaxMaps":5,"MaxPlayers":100,"CpuLimitPercent":80,"MemoryLimitPercent":85,"NetworkLimitMbps":100},"MaxPlayers":{"$id":"5","$type":"System.Collections.Generic.Dictionary`2[[System.String, System.Private.CoreLib],[System.Int32, System.Private.CoreLib]], System.Private.CoreLib"}}""";

    private const string StoredMarks =
        """{"$id":"1","$type":"P2PCluster.Grains.ClusterStateRecord, P2PCluster.Grains","Hosts":{"$type":"System.Collections.Generic.List`1[[P2PCluster.Grains.MarkedHost, P2PCluster.Grains]], System.Private.CoreLib","$values":[{"$id":"2","$type":"P2PCluster.Grains.MarkedHost, P2PCluster.Grains","HostId":"hvps","Kind":1,"Status":4,"At":"1970-01-01T00:00:00+00:00"},{"$id":"3","$type":"P2PCluster.Grains.MarkedHost, P2PCluster.Grains","HostId":"hp2p","Status":3,"At":"1970-01-01T00:00:00+00:00"}]}}""";

    [Fact]
    public void TheWireAndStoredNumbersAreUnchanged()
    {
        Assert.Equal((byte)0, (byte)HostKind.P2P);
        Assert.Equal((byte)1, (byte)HostKind.Vps);
        Assert.Equal([HostKind.P2P, HostKind.Vps], Enum.GetValues<HostKind>());
    }

    [Fact]
    public void HostStateStoredBeforeStillLoads()
    {
        var serializer = StateSerializer();
        var host = serializer.Deserialize<HostState>(BinaryData.FromString(StoredHost))!;
        Assert.Equal((HostKind.Vps, HostStatus.Online, "198.51.100.1:6200"), (host.Kind, host.Status, host.Endpoint));
        Assert.Empty(host.Losses); // a field added since (the losses still to tell map grains) starts empty, never null
        // Written back, the kind is still the number: everything stored before is a prefix of what is stored now.
        string written = serializer.Serialize(host).ToString();
        Assert.Contains("\"Kind\":1,", written);
        Assert.StartsWith(StoredHost[..^2], written);
    }

    [Fact]
    public void MarkedHostsStoredBeforeStillLoad()
    {
        var serializer = StateSerializer();
        var record = serializer.Deserialize<ClusterStateRecord>(BinaryData.FromString(StoredMarks))!;
        Assert.Equal(
            [new MarkedHost("hvps", HostKind.Vps, ClusterHostStatus.Dead, DateTimeOffset.UnixEpoch),
             new MarkedHost("hp2p", HostKind.P2P, ClusterHostStatus.Banned, DateTimeOffset.UnixEpoch)],
            record.Hosts);
        Assert.Equal(StoredMarks, serializer.Serialize(record).ToString());
    }

    [Fact]
    public void OrleansCarriesTheKindBetweenSilos()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var copier = services.GetRequiredService<DeepCopier>();
        var registration = new HostRegistration([1, 2, 3], HostKind.Vps, "198.51.100.1:6200", Guid.NewGuid());
        var back = serializer.Deserialize<HostRegistration>(serializer.SerializeToArray(registration))!;
        Assert.Equal((registration.Kind, registration.Endpoint, registration.Connection), (back.Kind, back.Endpoint, back.Connection));
        var state = new HostState { Kind = HostKind.Vps };
        Assert.Equal(HostKind.Vps, serializer.Deserialize<HostState>(serializer.SerializeToArray(state))!.Kind);
        Assert.Equal(HostKind.Vps, copier.Copy(state)!.Kind);
    }

    [Theory]
    [InlineData(HostKind.P2P, "p2p")]
    [InlineData(HostKind.Vps, "vps")]
    public void OneNameForEachKind(HostKind kind, string name)
    {
        Assert.Equal(name, HostKinds.Name(kind));
        Assert.Equal(name, HostKinds.Name((byte)kind));
        Assert.Equal(name, MetricLabels.Of(kind));
        Assert.True(HostKinds.TryParse(name.ToUpperInvariant(), out var parsed));
        Assert.Equal(kind, parsed);
    }

    [Fact]
    public void AnUnknownKindIsNamedByItsNumberAndNotParsed()
    {
        Assert.Equal("kind 7", HostKinds.Name(7));
        Assert.False(HostKinds.TryParse("1", out _));
        Assert.False(HostKinds.TryParse("", out _));
        Assert.False(HostKinds.TryParse(null, out _));
    }
}
