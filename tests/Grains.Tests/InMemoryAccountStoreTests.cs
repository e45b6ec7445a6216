using P2PCluster.Grains.Accounts;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>The in-memory account store (the development accounts file's, tests', the load tool's): its uniqueness rules and lookups.</summary>
public sealed class InMemoryAccountStoreTests
{
    private static CharacterSummary Character(int charId, int accountId, int slot) => new(charId, accountId, slot, $"C{charId}", 0, 1, "prontera", 150, 150);

    [Fact]
    public void DuplicatesAreRefusedNamingWhatIsUsedTwice()
    {
        var store = new InMemoryAccountStore();
        store.Add(new AccountRecord(1, "a", "pw", 'F', 0));
        Assert.Contains("account id 1", Assert.Throws<ArgumentException>(() => store.Add(new AccountRecord(1, "b", "pw", 'F', 0))).Message);
        Assert.Contains("user id 'a'", Assert.Throws<ArgumentException>(() => store.Add(new AccountRecord(2, "a", "pw", 'F', 0))).Message);
        store.Add(Character(10, 1, 0));
        Assert.Contains("char id 10", Assert.Throws<ArgumentException>(() => store.Add(Character(10, 1, 1))).Message);
        Assert.Contains("slot 0", Assert.Throws<ArgumentException>(() => store.Add(Character(11, 1, 0))).Message);
        Assert.Contains("account 9", Assert.Throws<ArgumentException>(() => store.Add(Character(12, 9, 0))).Message);
        // A refused add left nothing behind: the same ids go in once the clash is gone.
        store.Add(new AccountRecord(2, "b", "pw", 'F', 0));
        store.Add(Character(11, 2, 0));
        Assert.Equal(2, store.AccountCount);
        Assert.Equal(2, store.CharacterCount);
    }

    [Fact]
    public async Task AnAccountsCharactersComeBySlotAndOnlyItsOwn()
    {
        var store = new InMemoryAccountStore();
        store.Add(new AccountRecord(1, "a", "pw", 'F', 0));
        store.Add(new AccountRecord(2, "b", "pw", 'F', 0));
        store.Add(Character(12, 1, 2));
        store.Add(Character(10, 1, 0));
        store.Add(Character(20, 2, 0));
        store.Add(Character(11, 1, 1));

        Assert.Equal([10, 11, 12], (await store.CharactersAsync(1)).Select(c => c.CharId));
        Assert.Equal([20], (await store.CharactersAsync(2)).Select(c => c.CharId));
        Assert.Empty(await store.CharactersAsync(3));
        Assert.Equal(1, (await store.FindCharacterAsync(11))!.AccountId);
        Assert.Equal(20, (await store.FindCharacterByNameAsync("C20"))!.CharId);
        Assert.Null(await store.FindAccountAsync("c"));
    }
}
