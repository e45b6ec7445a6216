using Microsoft.Extensions.Options;
using P2PCluster.Hosting;

namespace P2PCluster.Gateway;

/// <summary>
/// Enforces <c>coordinator.max_pending_handshakes</c>: how many connections may be between HELLO and WELCOME at once.
/// A slot is taken before the HELLO's crypto and given back once the session is Established or closed, so it also
/// bounds the host registrations (grain calls) under way. A HELLO that finds no slot free waits for one in arrival
/// order, for at most half the handshake deadline, so a burst is served at the rate slots free up rather than
/// refused outright; only one that cannot be served in that time is turned away. Game clients and tools may hold
/// only the slots <c>coordinator.host_reserve_percent</c> leaves them, so players stalling their handshakes cannot
/// keep host agents from reconnecting.
/// </summary>
/// <remarks>
/// Not disposable on purpose: a semaphore without its wait handle holds nothing to free, and sessions still ending
/// while the host shuts down must be able to give their slots back.
/// </remarks>
public sealed class HandshakeAdmission
{
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _clientSlots;
    private int _waiting;

    public HandshakeAdmission(IOptions<CoordinatorOptions> options)
    {
        Limit = options.Value.EffectiveMaxPendingHandshakes;
        ClientLimit = Math.Max(1, Limit - Limit * options.Value.HostReservePercent / 100);
        MaxWait = TimeSpan.FromMilliseconds(options.Value.HandshakeTimeoutMs / 2.0);
        _slots = new SemaphoreSlim(Limit, Limit);
        _clientSlots = new SemaphoreSlim(ClientLimit, ClientLimit);
    }

    public int Limit { get; }

    /// <summary>Slots game clients and tools may hold together; the rest only host agents can take.</summary>
    public int ClientLimit { get; }

    /// <summary>How long a HELLO waits for a slot before it is refused: half of <c>coordinator.handshake_timeout_ms</c>, leaving the other half for the handshake.</summary>
    public TimeSpan MaxWait { get; }

    /// <summary>Handshakes under way now.</summary>
    public int Pending => Limit - _slots.CurrentCount;

    /// <summary>HELLOs waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>
    /// Takes a slot (for a game client or tool, one of theirs first), waiting up to <see cref="MaxWait"/> in all behind
    /// earlier HELLOs; false when none came (or the peer left).
    /// </summary>
    public async ValueTask<bool> EnterAsync(bool host, CancellationToken connectionClosed)
    {
        long start = Environment.TickCount64;
        if (!host && !await WaitAsync(_clientSlots, MaxWait, connectionClosed)) return false;
        var left = MaxWait - TimeSpan.FromMilliseconds(Environment.TickCount64 - start);
        if (await WaitAsync(_slots, left > TimeSpan.Zero ? left : TimeSpan.Zero, connectionClosed)) return true;
        if (!host) _clientSlots.Release();
        return false;
    }

    public void Exit(bool host)
    {
        _slots.Release();
        if (!host) _clientSlots.Release();
    }

    private async ValueTask<bool> WaitAsync(SemaphoreSlim slots, TimeSpan wait, CancellationToken connectionClosed)
    {
        if (slots.Wait(0)) return true;
        Interlocked.Increment(ref _waiting);
        try
        {
            return await slots.WaitAsync(wait, connectionClosed);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }
}
