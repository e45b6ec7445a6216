namespace P2PCluster.Control.Tests;

/// <summary>
/// Two clusters for backup and restore: <see cref="Source"/>, a p2p-demo silo whose agents connected (hosts to approve and
/// ban, maps placed), and <see cref="Fresh"/>, a new embedded silo with the same p2p.conf that has seen no host.
/// </summary>
public sealed class StateSilosFixture : IAsyncLifetime
{
    private ControlSilo? _source;
    private ControlSilo? _fresh;

    public ControlSilo Source => _source ?? throw new InvalidOperationException("not started");
    public ControlSilo Fresh => _fresh ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _source = await ControlSilo.StartAsync(demo: true);
        _fresh = await ControlSilo.StartAsync(demo: false);
        await _source.WaitForP2PMapsAsync(TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        if (_source is not null) await _source.DisposeAsync();
        if (_fresh is not null) await _fresh.DisposeAsync();
    }
}
