namespace P2PCluster.Hosting.Keys;

/// <summary>
/// Where the key set lives so that every silo and gateway reads the same one: MariaDB's p2p_coordinator_keys on a
/// cluster (<see cref="MariaDbCoordinatorKeyStore"/>), a file in data_dir on the embedded default (<see cref="FileCoordinatorKeyStore"/>).
/// Failures are <see cref="DatabaseException"/> or <see cref="IOException"/> with a message naming the store.
/// </summary>
public interface ICoordinatorKeyStore
{
    /// <summary>For messages: which table or file.</summary>
    string Describe { get; }

    Task<CoordinatorKeySet> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Reads the set under an exclusive lock, writes the entries <paramref name="change"/> returns, and returns its edit.</summary>
    Task<KeySetEdit> UpdateAsync(Func<CoordinatorKeySet, KeySetEdit> change, CancellationToken cancellationToken);
}
