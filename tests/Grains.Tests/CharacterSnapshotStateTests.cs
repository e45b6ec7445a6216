using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newtonsoft.Json;
using Orleans.Serialization;
using Orleans.Storage;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// The one character model (<see cref="CharacterSnapshot"/>, issue 16) took in the database proxy's row columns:
/// session state stored before, with only the carried progress, still loads; Orleans carries every column.
/// </summary>
public sealed class CharacterSnapshotStateTests
{
    private static JsonGrainStorageSerializer StateSerializer()
    {
        // As src/Silo/StateStorage.cs composes it: Orleans' JSON settings with ObjectCreationHandling.Replace.
        var options = new OrleansJsonSerializerOptions();
        options.JsonSerializerSettings.ObjectCreationHandling = ObjectCreationHandling.Replace;
        return new JsonGrainStorageSerializer(new OrleansJsonSerializer(Options.Create(options)));
    }

    // A session as the silo stored it before the row columns (ids 9–18) were added to CharacterSnapshot.
    private const string StoredSession =
        """{"$id":"1","$type":"P2PCluster.Grains.PlayerSessionState, P2PCluster.Grains","AccountId":2000000,"State":2,"Map":"prontera","HostId":"h00000000000000000001","Epoch":3,"UpdatedAt":"1970-01-01T00:00:00+00:00","Character":{"$id":"2","$type":"P2PCluster.Grains.Interfaces.CharacterSnapshot, P2PCluster.Grains.Interfaces","X":150,"Y":180,"BaseLevel":12,"JobLevel":7,"BaseExp":5000,"JobExp":700,"Zeny":1234,"Hp":321,"Sp":45},"CharacterMap":"prontera"}""";

    [Fact]
    public void SessionStateStoredBeforeStillLoads()
    {
        var serializer = StateSerializer();
        var state = serializer.Deserialize<PlayerSessionState>(BinaryData.FromString(StoredSession))!;
        Assert.Equal((SessionState.OnMap, "prontera", "prontera"), (state.State, state.Map, state.CharacterMap));
        Assert.Equal(new CharacterSnapshot(150, 180, 12, 7, 5_000, 700, 1_234, 321, 45), state.Character);

        // Written back, it is what was stored (the new columns are 0, and default values are not written).
        string written = serializer.Serialize(state).ToString();
        Assert.Equal(StoredSession, written);
        Assert.Equal(state.Character, serializer.Deserialize<PlayerSessionState>(BinaryData.FromString(written))!.Character);
    }

    [Fact]
    public void OrleansCarriesEveryColumnBetweenSilos()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var row = new CharacterSnapshot(119, 59, 99, 50, ulong.MaxValue, 1UL << 40, uint.MaxValue, 16_777_215, 7,
            99, 98, 97, 96, 95, 94, 3, 4, 16_000_000, 8);
        Assert.Equal(row, serializer.Deserialize<CharacterSnapshot>(serializer.SerializeToArray(row)));
        var load = new CharacterLoad(row, 42);
        var back = serializer.Deserialize<CharacterLoad>(serializer.SerializeToArray(load))!;
        Assert.Equal((row, 42L), (back.Data, back.Version));
    }
}
