using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// Where a host loads and saves its players' characters: the database proxy (the host holds no database credentials).
/// The agent's <c>DbProxyClient</c> implements it; tests fake it. Every call is bounded in time. A refusal throws
/// <see cref="Client.RequestRefusedException"/> with the code of docs/protocol.md §5 (e.g. 273 OutOfBounds), and so
/// does a proxy that cannot be reached or does not answer in time (<see cref="ProtocolError.Unavailable"/>).
/// </summary>
public interface ICharacterDatabase
{
    /// <summary>Cluster error 271: the database behind the proxy did not answer.</summary>
    const ProtocolError StoreUnavailable = ProtocolError.ClusterBase + 15;

    /// <summary>The character's saved record and its version (DB_LOAD_CHAR); the next save names that version.</summary>
    Task<(CharacterRecord Record, ulong Version)> LoadAsync(uint charId, string map, ulong epoch, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves <paramref name="record"/> over <paramref name="expectedVersion"/> (DB_SAVE_CHAR) and returns the new version.
    /// The save applies at most once, however often it is retried inside the call.
    /// </summary>
    Task<ulong> SaveAsync(uint charId, string map, ulong epoch, ulong expectedVersion, CharacterRecord record, CancellationToken cancellationToken = default);

    /// <summary>Marks the character online or offline (DB_SET_ONLINE); returns the character's version afterwards.</summary>
    Task<ulong> SetOnlineAsync(uint charId, string map, ulong epoch, bool online, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether <paramref name="code"/> says the proxy could not decide (it, or the database behind it, did not answer):
    /// retrying may succeed. Any other non-zero code is the proxy's verdict on the request.
    /// </summary>
    static bool IsTransient(ProtocolError code) => code is ProtocolError.Unavailable or StoreUnavailable;
}
