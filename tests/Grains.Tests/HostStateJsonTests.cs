using Microsoft.Extensions.Options;
using Newtonsoft.Json;
using Orleans.Serialization;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// The host grain's state through the JSON the MariaDB state storage writes (Orleans' JSON serializer with
/// src/Silo/StateStorage.cs's one correction, ObjectCreationHandling.Replace).
/// </summary>
public sealed class HostStateJsonTests
{
    [Fact]
    public void HostStateWithLossesStillToTellRoundTrips()
    {
        var options = new OrleansJsonSerializerOptions();
        options.JsonSerializerSettings.ObjectCreationHandling = ObjectCreationHandling.Replace;
        var json = new OrleansJsonSerializer(Options.Create(options));
        var state = new HostState { Losses = [new HostLoss("prontera", 7, RevocationReason.Drained), new HostLoss("payon", 3, RevocationReason.Reassigned)] };
        state.Maps["geffen"] = 2;

        var back = (HostState)json.Deserialize(typeof(HostState), json.Serialize(state, typeof(HostState)))!;

        Assert.Equal(state.Losses, back.Losses);
        Assert.Equal(2, back.Maps["geffen"]);
        var empty = (HostState)json.Deserialize(typeof(HostState), json.Serialize(new HostState(), typeof(HostState)))!;
        Assert.Empty(empty.Losses);
    }
}
