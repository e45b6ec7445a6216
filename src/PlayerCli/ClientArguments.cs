using P2PCluster.Client;

namespace P2PCluster.PlayerCli;

/// <summary>
/// The shared options, checked: where to connect, the pinned key and where the learned key set is kept (null: memory
/// only), the credentials and the character/map choice (null: the default).
/// </summary>
public sealed record ClientArguments(
    CoordinatorEndpoint Coordinator, byte[] CoordinatorKey, string KeyOrigin, string? KeySetFile, string User, string Password, string? Character, string? Map, bool Json)
{
    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"{User} at {Coordinator} (key {KeyOrigin})";
}
