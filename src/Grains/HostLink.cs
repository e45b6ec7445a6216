using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// The host's live connection as its grain knows it, in memory: the gateway session it registered through last
/// (<see cref="HostRegistration.Connection"/>) and that session's observer. A re-activated grain knows neither and takes
/// the first session it hears from. Orders sent through it are one-way: nothing here waits on the gateway.
/// </summary>
public sealed class HostLink
{
    private IHostConnection? _connection;
    private Guid _session;

    /// <summary>Whether <paramref name="session"/> is an older gateway session than the one the host registered through last.</summary>
    public bool IsStale(Guid session) => session != Guid.Empty && _session != Guid.Empty && session != _session;

    /// <summary>The host registered through <paramref name="session"/>: another session's observer no longer reaches the agent.</summary>
    public void Registered(Guid session)
    {
        if (session == _session) return;
        _session = session;
        _connection = null;
    }

    /// <summary>The gateway (re-)registers the observer of <paramref name="session"/> (<see cref="Guid.Empty"/>: keep the session known).</summary>
    public void Attach(IHostConnection connection, Guid session)
    {
        if (session != Guid.Empty) _session = session;
        _connection = connection;
    }

    /// <summary>The connection ended: nothing more can be sent through it.</summary>
    public void Lost() => _connection = null;

    /// <summary>Closes the connection, sending <paramref name="code"/> to the host first.</summary>
    public void Close(ClusterError code, string message)
    {
        _connection?.CloseAsync(code, message);
        _connection = null;
    }

    public void Assign(MapOrder order) => _connection?.AssignAsync(order);

    public void Revoke(MapRevocation revocation) => _connection?.RevokeAsync(revocation);
}
