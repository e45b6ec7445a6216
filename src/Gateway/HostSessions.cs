using System.Collections.Concurrent;

namespace P2PCluster.Gateway;

/// <summary>
/// The session each host key holds at this gateway, per port. A newer connection that identifies with the same key
/// replaces the older one, which is closed with SessionReplaced (docs/protocol.md §6); only the session a key holds
/// reports the host's disconnect to its grain, so closing a replaced one never marks the host offline.
/// </summary>
public sealed class HostSessions
{
    private readonly ConcurrentDictionary<(string HostId, bool DatabaseProxy), GatewaySession> _current = new();

    /// <summary>Makes <paramref name="session"/> the key's session; returns the one it replaces, if any.</summary>
    public GatewaySession? Claim(string hostId, bool databaseProxy, GatewaySession session)
    {
        GatewaySession? previous = null;
        _current.AddOrUpdate((hostId, databaseProxy), session, (_, old) =>
        {
            previous = old;
            return session;
        });
        return previous;
    }

    /// <summary>Gives the key back to <paramref name="previous"/> (a claim whose registration failed), unless someone newer holds it.</summary>
    public void Restore(string hostId, bool databaseProxy, GatewaySession session, GatewaySession? previous)
    {
        if (previous is null) _current.TryRemove(KeyValuePair.Create((hostId, databaseProxy), session));
        else _current.TryUpdate((hostId, databaseProxy), previous, session);
    }

    /// <summary>Ends the claim of a closing session; false when a newer session holds the key (this one was replaced).</summary>
    public bool Release(string hostId, bool databaseProxy, GatewaySession session) =>
        _current.TryRemove(KeyValuePair.Create((hostId, databaseProxy), session));
}
