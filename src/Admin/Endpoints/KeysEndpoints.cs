using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using P2PCluster.Hosting;
using P2PCluster.Hosting.Keys;
using P2PCluster.Protocol;

namespace P2PCluster.Admin.Endpoints;

/// <summary>/api/v1/keys: the coordinator key set's public part, read fresh from its store (docs/operations.md, "Keys and rollover").</summary>
public static class KeysEndpoints
{
    /// <summary>Registers the key set's store unless the gateway did (a silo without a hosted gateway still answers).</summary>
    public static IServiceCollection AddKeySetStore(this IServiceCollection services, CoordinatorSettings settings)
    {
        services.TryAddSingleton<ICoordinatorKeyStore>(_ => CoordinatorKeyStores.Create(settings));
        return services;
    }

    public static void MapKeys(this RouteGroupBuilder group)
    {
        group.MapGroup("").WithTags("keys").MapGet("/keys", (Delegate)ListAsync)
            .Read<ItemList<CoordinatorKeyView>>("The coordinator key set: next, active, retiring and revoked keys with their dates (public keys only).");
    }

    private static async Task<IResult> ListAsync(HttpContext context)
    {
        var store = context.RequestServices.GetRequiredService<ICoordinatorKeyStore>();
        CoordinatorKeySet set;
        try
        {
            set = await store.ReadAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is DatabaseException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return AdminProblem.Unavailable("KeySetUnavailable", $"the key set could not be read: {e.Message}");
        }
        var now = context.RequestServices.GetService<TimeProvider>()?.GetUtcNow() ?? DateTimeOffset.UtcNow;
        return Results.Ok(new ItemList<CoordinatorKeyView>([.. set.Listed(now).Select(x => new CoordinatorKeyView(
            x.Entry.KeyId, KeyNames.PublicKeyBase64(x.Entry.PublicKey), KeyNames.Fingerprint(x.Entry.PublicKey), x.State,
            x.Entry.CreatedAt, x.Entry.ActivateAt, x.Entry.RetireAt, x.Entry.RevokedAt))]));
    }
}
