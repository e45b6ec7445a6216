using System.Collections.Concurrent;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Accounts;

/// <summary>Accounts held in memory: what the development accounts file loads into, and what tests fill.</summary>
public sealed class InMemoryAccountStore : IAccountStore
{
    private readonly ConcurrentDictionary<string, AccountRecord> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, CharacterSummary> _characters = new();
    // Indexes, so filling a store with many accounts and characters (the load tool's) and logging in stay linear.
    private readonly HashSet<int> _accountIds = [];
    private readonly ConcurrentDictionary<int, CharacterSummary[]> _byAccount = new(); // by slot; replaced whole on an add
    private readonly Lock _adding = new();

    public int AccountCount => _accounts.Count;
    public int CharacterCount => _characters.Count;

    /// <summary>Adds an account; a second account with the same user id or account id is refused.</summary>
    public void Add(AccountRecord account)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (_adding)
        {
            if (_accountIds.Contains(account.AccountId)) throw new ArgumentException($"account id {account.AccountId} is used twice");
            if (!_accounts.TryAdd(account.UserId, account)) throw new ArgumentException($"user id '{account.UserId}' is used twice");
            _accountIds.Add(account.AccountId);
        }
    }

    /// <summary>Adds a character of an account added before; ids and (account, slot) pairs are unique.</summary>
    public void Add(CharacterSummary character)
    {
        ArgumentNullException.ThrowIfNull(character);
        lock (_adding)
        {
            if (!_accountIds.Contains(character.AccountId))
                throw new ArgumentException($"character {character.CharId} belongs to account {character.AccountId}, which does not exist");
            var mine = _byAccount.GetValueOrDefault(character.AccountId) ?? [];
            if (mine.Any(c => c.Slot == character.Slot))
                throw new ArgumentException($"account {character.AccountId} has two characters in slot {character.Slot}");
            if (!_characters.TryAdd(character.CharId, character)) throw new ArgumentException($"char id {character.CharId} is used twice");
            _byAccount[character.AccountId] = [.. mine.Append(character).OrderBy(c => c.Slot)];
        }
    }

    public Task<AccountRecord?> FindAccountAsync(string userId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_accounts.GetValueOrDefault(userId));

    public Task<IReadOnlyList<CharacterSummary>> CharactersAsync(int accountId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CharacterSummary>>(_byAccount.GetValueOrDefault(accountId) ?? []);

    public Task<CharacterSummary?> FindCharacterAsync(int charId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_characters.GetValueOrDefault(charId));

    public Task<CharacterSummary?> FindCharacterByNameAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(_characters.Values.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal)));
}
