namespace P2PCluster.Grains.Tests;

/// <summary>A test-only grain that exercises the storage and reminder contracts directly.</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    Task SetAsync(string value);
    Task<string?> GetAsync();
    Task ClearAsync();
    Task DeactivateAsync();
    Task StartReminderAsync(TimeSpan period);
    Task StopReminderAsync();
    Task<int> TicksAsync();
}
