namespace P2PCluster.Gateway;

/// <summary>
/// Holds a host grain's pushes (ASSIGN_MAP, REVOKE_MAP) that arrive before the session's WELCOME is sent, in the order
/// they came, and sends them right after it. A host grain may push as soon as the session is attached, which is before
/// WELCOME goes out; sent at once, such a push reached the agent as the answer to its IDENTIFY and failed the
/// handshake (UnexpectedPacket: expected Welcome, got 0x5103). Once open, pushes go straight through.
/// </summary>
public sealed class PushGate
{
    private readonly Lock _lock = new();
    private List<Func<Task>>? _held = [];

    /// <summary>Sends now when the gate is open, or holds <paramref name="send"/> until <see cref="OpenAsync"/>.</summary>
    public Task SendOrHoldAsync(Func<Task> send)
    {
        lock (_lock)
        {
            if (_held is not null)
            {
                _held.Add(send);
                return Task.CompletedTask;
            }
        }
        return send();
    }

    /// <summary>
    /// Sends what was held, in order, and what arrives meanwhile after it; then lets pushes through. Pushes arriving
    /// while it sends wait their turn, so none overtakes an older one.
    /// </summary>
    public async Task OpenAsync()
    {
        while (true)
        {
            List<Func<Task>> batch;
            lock (_lock)
            {
                if (_held is null) return;
                if (_held.Count == 0)
                {
                    _held = null;
                    return;
                }
                batch = _held;
                _held = [];
            }
            foreach (var send in batch) await send();
        }
    }
}
