namespace P2PCluster.Gateway.Tests;

/// <summary>
/// The gateway of <see cref="GatewayFixture"/> with tight connection limits: a small pool with a host reserve, a
/// per-address quota, and idle timeouts short enough for real time to pass in a test.
/// </summary>
public sealed class LimitsFixture : IAsyncLifetime
{
    public const int MaxConnections = 24;
    public const int HostReservePercent = 25; // 6 places only hosts may take
    public const int MaxClientConnections = MaxConnections - MaxConnections * HostReservePercent / 100;
    public const int PerAddress = 8;
    public const int MaxPendingHandshakes = 4; // 3 for game clients and tools, 1 only hosts may take
    public const int ClientIdleMs = 3000;
    public const int HostIdleMs = 3000;
    public const int DbProxyIdleMs = 3000;

    public GatewayFixture Gateway { get; } = new(new Dictionary<string, string?>
    {
        ["coordinator:max_connections"] = MaxConnections.ToString(),
        ["coordinator:max_connections_per_address"] = PerAddress.ToString(),
        ["coordinator:max_pending_handshakes"] = MaxPendingHandshakes.ToString(),
        ["coordinator:host_reserve_percent"] = HostReservePercent.ToString(),
        ["coordinator:client_idle_timeout_ms"] = ClientIdleMs.ToString(),
        ["coordinator:host_idle_timeout_ms"] = HostIdleMs.ToString(),
        ["coordinator:db_proxy_idle_timeout_ms"] = DbProxyIdleMs.ToString(),
    });

    public Task InitializeAsync() => Gateway.InitializeAsync();

    public Task DisposeAsync() => Gateway.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class LimitsCollection : ICollectionFixture<LimitsFixture>
{
    public const string Name = "gateway-limits";
}
