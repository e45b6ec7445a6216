using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Accounts;

/// <summary>
/// Where player accounts and characters live: rAthena's <c>login</c> and <c>char</c> tables in production, a
/// development file on the embedded default. Read-only here; the database proxy writes characters.
/// </summary>
public interface IAccountStore
{
    /// <summary>The account whose <c>userid</c> is exactly <paramref name="userId"/> (case-sensitive), or null.</summary>
    Task<AccountRecord?> FindAccountAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>The account's characters, by slot.</summary>
    Task<IReadOnlyList<CharacterSummary>> CharactersAsync(int accountId, CancellationToken cancellationToken = default);

    /// <summary>One character, or null.</summary>
    Task<CharacterSummary?> FindCharacterAsync(int charId, CancellationToken cancellationToken = default);

    /// <summary>The character named exactly <paramref name="name"/> (rAthena names are unique), or null.</summary>
    Task<CharacterSummary?> FindCharacterByNameAsync(string name, CancellationToken cancellationToken = default);
}

/// <summary>
/// A <c>login</c> row: <paramref name="StoredPassword"/> as the table holds it (plain, or the MD5 hex digest when
/// <c>use_md5_passwords</c> is on); <paramref name="State"/> 0 may log in, anything else is blocked (rAthena's rule).
/// </summary>
public sealed record AccountRecord(int AccountId, string UserId, string StoredPassword, char Sex, int State);
