using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>See <see cref="IHostStandingsGrain"/>. An id joins memory only once the write succeeded.</summary>
public sealed class HostStandingsGrain(
    [PersistentState("hoststandings", StorageNames.State)] IPersistentState<HostStandingsState> state) : Grain, IHostStandingsGrain
{
    /// <summary>Most ids kept: far above any real count of approved or banned hosts, it bounds the state's size.</summary>
    public const int MaxHosts = 1_000_000;

    public Task<IReadOnlyList<string>> ListAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.HostIds.Order(StringComparer.Ordinal)]);

    public async Task RememberAsync(string hostId)
    {
        Names.RequireHostId(hostId);
        if (state.State.HostIds.Contains(hostId)) return;
        if (state.State.HostIds.Count >= MaxHosts)
            throw new ClusterException(ClusterError.InvalidArgument, $"hostId: more than {MaxHosts} hosts approved or banned");
        state.State.HostIds.Add(hostId);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.HostIds.Remove(hostId);
            throw;
        }
    }
}
