namespace P2PCluster.Control.Tests;

/// <summary>One p2p-demo silo whose agents hold maps, shared by the action tests (they run one after another).</summary>
public sealed class DemoSiloFixture : IAsyncLifetime
{
    private ControlSilo? _silo;

    public ControlSilo Silo => _silo ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _silo = await ControlSilo.StartAsync(demo: true);
        await _silo.WaitForP2PMapsAsync(TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null) await _silo.DisposeAsync();
    }
}
