using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Newtonsoft.Json;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using P2PCluster.Grains;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Silo;

/// <summary>
/// Grain state (<see cref="StorageNames.State"/>) in MySQL/MariaDB through Orleans' ADO.NET provider, with two
/// corrections: its JSON never fills an object a state already holds, and its failures are our StoreUnavailable.
/// </summary>
public static class StateStorage
{
    /// <summary>
    /// Orleans' JSON settings for grain state, with <see cref="ObjectCreationHandling.Replace"/>. Newtonsoft's default
    /// (Auto) fills the object a property already holds: a property initialised to a shared default had that one
    /// object filled by every state read, so every map ended up with one policy mixed from several (issue 11).
    /// </summary>
    public static void Configure(JsonSerializerSettings settings) => settings.ObjectCreationHandling = ObjectCreationHandling.Replace;

    public static ISiloBuilder AddP2PStateStorage(this ISiloBuilder silo, string connectionString)
    {
        silo.Services.Configure<OrleansJsonSerializerOptions>(StorageNames.State, o => Configure(o.JsonSerializerSettings));
        silo.AddAdoNetGrainStorage(StorageNames.State, (OptionsBuilder<AdoNetGrainStorageOptions> options) =>
            options.Configure<IOptionsMonitor<OrleansJsonSerializerOptions>>((o, json) =>
            {
                o.Invariant = DatabaseOptions.Invariant;
                o.ConnectionString = connectionString;
                o.GrainStorageSerializer = new JsonGrainStorageSerializer(new OrleansJsonSerializer(Options.Create(json.Get(StorageNames.State))));
            }));
        // Registered after the provider, so this wrapper is the storage grains get (and the one the silo lifecycle starts).
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.State,
            (services, _) => new StoreFailureStorage(AdoNetGrainStorageFactory.Create(services, StorageNames.State)));
        return silo;
    }
}
