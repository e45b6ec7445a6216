using Microsoft.Extensions.Options;
using P2PCluster.Hosting;

namespace P2PCluster.Gateway;

/// <summary>
/// Enforces <c>coordinator.max_pending_handshakes</c>: how many connections may be between HELLO and WELCOME at once.
/// A slot is taken before the HELLO's crypto and given back once the session is Established or closed, so it also
/// bounds the host registrations (grain calls) under way.
/// </summary>
public sealed class HandshakeAdmission(IOptions<CoordinatorOptions> options)
{
    private readonly int _limit = options.Value.EffectiveMaxPendingHandshakes;
    private int _pending;

    public int Limit => _limit;

    /// <summary>Handshakes under way now.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _pending) <= _limit) return true;
        Interlocked.Decrement(ref _pending);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _pending);
}
