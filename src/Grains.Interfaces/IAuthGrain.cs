namespace P2PCluster.Grains.Interfaces;

/// <summary>
/// Checks player logins against rAthena's <c>login</c> table (or the development accounts file on the embedded
/// default). A stateless worker: it runs beside the gateway that asks, and holds nothing.
/// </summary>
[Alias("p2p.IAuthGrain")]
public interface IAuthGrain : IGrainWithIntegerKey
{
    /// <summary>The account and its characters; <see cref="ClusterError.LoginFailed"/> or <see cref="ClusterError.AccountBlocked"/> otherwise.</summary>
    [Alias("LoginAsync")]
    Task<LoginResult> LoginAsync(string userId, string password);
}
