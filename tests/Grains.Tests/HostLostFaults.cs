using System.Collections.Concurrent;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// An incoming call filter on the test silo: <see cref="IMapGrain.HostLostAsync"/> to a map a test made unreachable
/// fails with a <see cref="TimeoutException"/>, as a call to a grain still registered on a dead silo does; calls that
/// get through are counted per (map, epoch).
/// </summary>
public sealed class HostLostFaults : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<string, byte> Unreachable = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(string Map, long Epoch), int> Delivered = new();
    private static readonly ConcurrentDictionary<string, int> Refused = new(StringComparer.Ordinal);

    public static void MakeUnreachable(string map) => Unreachable[map] = 0;

    public static void Heal(string map) => Unreachable.TryRemove(map, out _);

    /// <summary>HostLostAsync calls for (map, epoch) that reached the map grain.</summary>
    public static int DeliveredTo(string map, long epoch) => Delivered.GetValueOrDefault((map, epoch));

    /// <summary>HostLostAsync calls to <paramref name="map"/> failed while it was unreachable.</summary>
    public static int RefusedTo(string map) => Refused.GetValueOrDefault(map);

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.Name != nameof(IMapGrain.HostLostAsync) || context.TargetContext?.GrainInstance is not IMapGrain)
        {
            await context.Invoke();
            return;
        }
        string map = context.TargetId.Key.ToString()!;
        if (Unreachable.ContainsKey(map))
        {
            Refused.AddOrUpdate(map, 1, (_, n) => n + 1);
            throw new TimeoutException($"HostLostAsync to map {map}: unreachable (injected)");
        }
        Delivered.AddOrUpdate((map, (long)context.Request.GetArgument(1)!), 1, (_, n) => n + 1);
        await context.Invoke();
    }
}
