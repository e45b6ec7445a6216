namespace P2PCluster.Release.Tests;

/// <summary>One wine prefix per test class (creating one takes seconds), its wineserver stopped and folder removed after.</summary>
public sealed class WinePrefix : IAsyncLifetime
{
    public Wine Wine { get; } = new(Directory.CreateTempSubdirectory("p2p-wine-").FullName);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Wine.Unavailable is null) await Wine.StopAsync();
        Directory.Delete(Wine.Prefix, recursive: true);
    }
}
