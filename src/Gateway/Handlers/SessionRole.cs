namespace P2PCluster.Gateway.Handlers;

/// <summary>
/// What an established session is, decided by its IDENTIFY (and, for a game client, its LOGIN): the roles a packet
/// handler is registered for are the only ones that may send that packet.
/// </summary>
[Flags]
public enum SessionRole : byte
{
    /// <summary>A session not established yet: no packet is dispatched to it.</summary>
    None = 0,

    /// <summary>A game client that has not logged in.</summary>
    Guest = 1,

    /// <summary>A game client logged in to an account.</summary>
    Player = 2,

    /// <summary>A host agent registered with its host grain, at the gateway port.</summary>
    HostAgent = 4,

    /// <summary>A host agent at the database-proxy port.</summary>
    DatabaseProxy = 8,

    /// <summary>A tool (HELLO role Tool): PING, BYE and ERROR only.</summary>
    Tool = 16,

    /// <summary>Every established session.</summary>
    Any = Guest | Player | HostAgent | DatabaseProxy | Tool,
}
