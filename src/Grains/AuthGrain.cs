using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>Logins: one stateless worker per silo core, beside the gateway that asks.</summary>
[StatelessWorker]
public sealed class AuthGrain(IAccountStore accounts, IOptions<AccountOptions> options) : Grain, IAuthGrain
{
    /// <summary>rAthena's limits: user ids 4–23 characters, passwords up to 32 (NAME_LENGTH, PASSWD_LENGTH).</summary>
    public const int MaxUserIdLength = 23, MaxPasswordLength = 32;

    public async Task<LoginResult> LoginAsync(string userId, string password)
    {
        if (string.IsNullOrEmpty(userId) || userId.Length > MaxUserIdLength || string.IsNullOrEmpty(password) || password.Length > MaxPasswordLength)
            throw new ClusterException(ClusterError.LoginFailed, "wrong user id or password");
        var account = await accounts.FindAccountAsync(userId);
        if (account is null || !Passwords.Matches(account.StoredPassword, password, options.Value.UseMd5Passwords))
            throw new ClusterException(ClusterError.LoginFailed, "wrong user id or password");
        if (account.State != 0) throw new ClusterException(ClusterError.AccountBlocked, $"account {account.UserId} is blocked (state {account.State})");
        var characters = await accounts.CharactersAsync(account.AccountId);
        return new LoginResult(account.AccountId, account.Sex, characters);
    }
}
