using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Characters;

/// <summary>A character as stored: its row (<c>last_map</c> and the rest), the account it belongs to, and the proxy's version of it (0 before any save).</summary>
public sealed record StoredCharacter(int CharId, int AccountId, string LastMap, CharacterSnapshot Data, long Version);

/// <summary>One accepted write, committed with its audit row and idempotency key in one transaction.</summary>
/// <param name="ExpectedVersion">The version the write replaces; the store refuses it (<see cref="WriteStatus.Conflict"/>) if the stored one differs.</param>
/// <param name="Map">The map the write comes from; with <paramref name="Data"/>, the row's new <c>last_map</c>.</param>
/// <param name="Data">The new row values (a save), or null (an online flag change only).</param>
/// <param name="Online">The new <c>char.online</c>, or null to leave it.</param>
public sealed record CharacterWrite(
    int CharId, string HostId, string Map, long Epoch, byte[] Key, long ExpectedVersion, CharacterSnapshot? Data, bool? Online, string Operation);

public enum WriteStatus
{
    /// <summary>Committed: the row, the new version, the key and the audit row.</summary>
    Applied,
    /// <summary>The key was applied before (a retried write): nothing written again; <see cref="WriteOutcome.Version"/> is what it produced.</summary>
    Duplicate,
    /// <summary>The stored version is not the expected one: another write came first. Audited as refused.</summary>
    Conflict,
}

public readonly record struct WriteOutcome(WriteStatus Status, long Version);

/// <summary>A refused write's audit row (an accepted write's is written by <see cref="ICharacterStore.WriteAsync"/>).</summary>
public sealed record RefusedWrite(int CharId, string HostId, string Map, long Epoch, byte[]? Key, string Operation, ClusterError Code, string Reason);

/// <summary>
/// Where the database proxy reads and writes characters: rAthena's <c>char</c> table plus the proxy's own
/// <c>p2p_*</c> tables (versions, idempotency keys, audit) in production; memory on the embedded default.
/// Writes may be batched with other callers' into one transaction; each call returns only once its write is committed.
/// </summary>
public interface ICharacterStore
{
    Task<StoredCharacter?> LoadAsync(int charId, CancellationToken cancellationToken = default);

    /// <summary>Applies the write unless its key was applied before or the version moved on; returns once committed.</summary>
    Task<WriteOutcome> WriteAsync(CharacterWrite write, CancellationToken cancellationToken = default);

    /// <summary>Records a refused write; returns once the audit row is committed.</summary>
    Task AuditRefusedAsync(RefusedWrite refused, CancellationToken cancellationToken = default);
}
