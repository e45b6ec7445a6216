using Xunit;

namespace P2PCluster.TestSupport;

/// <summary>One MariaDB per test assembly run, shared through <c>[Collection(MariaDbCollection.Name)]</c>.</summary>
public sealed class MariaDbFixture : IAsyncLifetime
{
    private MariaDbServer? _server;

    public MariaDbServer Server => _server ?? throw new InvalidOperationException("MariaDB fixture not started");

    public async Task InitializeAsync() => _server = await MariaDbServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
