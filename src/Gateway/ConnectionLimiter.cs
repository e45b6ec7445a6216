using Microsoft.Extensions.Options;
using P2PCluster.Hosting;

namespace P2PCluster.Gateway;

/// <summary>Enforces <c>coordinator.max_connections</c> across the gateway listener.</summary>
public sealed class ConnectionLimiter(IOptions<CoordinatorOptions> options)
{
    private int _open;

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _open) <= options.Value.MaxConnections) return true;
        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _open);
}
