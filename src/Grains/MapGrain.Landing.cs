namespace P2PCluster.Grains;

public sealed partial class MapGrain
{
    private readonly MapLandings _landings = new();

    /// <summary>Interleaved (see the interface): it only reads the state, and is completed by <see cref="ReportState"/>.</summary>
    public Task<bool> WaitMovedAsync(string hostId, long epoch, TimeSpan timeout) =>
        _landings.WaitAsync(state.State, hostId, epoch, timeout, time);
}
