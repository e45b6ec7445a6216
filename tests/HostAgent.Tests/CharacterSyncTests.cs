using P2PCluster.HostAgent.Maps;
using P2PCluster.Protocol;
using Xunit.Abstractions;
using P2PCluster.TestSupport;

namespace P2PCluster.HostAgent.Tests;

/// <summary>One player's saves through the (faked) database proxy: coalesced, each over the last acknowledged version.</summary>
public sealed class CharacterSyncTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const uint Char = 42;
    private readonly LogCollector _log = new(output);
    private readonly FakeDatabase _database = new();

    private static CharacterState At(ushort x) => new(x, 10, 20, 5, 1000, 300, 500, 40, 20);

    private async Task<CharacterSync> OpenAsync()
    {
        var sync = new CharacterSync(_database, Char, "prontera", 3, _log.For<CharacterSync>());
        sync.Open();
        await Eventually.HoldsAsync(() => _database.Calls.Count == 2, Timeout, () => $"{_database.Calls.Count} calls");
        return sync;
    }

    private IEnumerable<(ushort X, ulong Expected)> Saves() =>
        _database.Calls.Where(c => c.Operation == "save").Select(c => (c.Record.X, c.ExpectedVersion));

    [Fact]
    public async Task SavesWhileOneIsInFlightAreCoalescedToTheNewest()
    {
        var sync = await OpenAsync(); // load (version 0), online (version 1)
        var held = new TaskCompletionSource();
        _database.Gate = call => call.Operation == "save" && call.Record.X == 1 ? held.Task : Task.CompletedTask;

        var first = sync.SaveAsync(At(1));
        await Eventually.HoldsAsync(() => Saves().Any(), Timeout, () => "no save sent");
        var second = sync.SaveAsync(At(2));
        var third = sync.SaveAsync(At(3));
        Assert.False(second.IsCompleted || third.IsCompleted, "a save waits for the one in flight");
        held.SetResult();

        Assert.Equal([ProtocolError.None, ProtocolError.None, ProtocolError.None], await Task.WhenAll(first, second, third).WaitAsync(Timeout));
        Assert.Equal([(1, 1UL), (3, 2UL)], Saves()); // the second was replaced before it went out; the third replaces version 2
        Assert.Equal((3, 3UL), (_database.Row(Char).Record.X, _database.Row(Char).Version));
        Assert.Contains("Map prontera: char 42: a newer state replaces the one waiting to be saved", _log.Text);
    }

    [Fact]
    public async Task AFailedSaveLosesNothingAcknowledgedAndTheWaitingStateStillGoes()
    {
        var sync = await OpenAsync();
        var held = new TaskCompletionSource();
        _database.Gate = call => call.Operation == "save" && call.Record.X == 1 ? held.Task : Task.CompletedTask;
        _database.Refuse = call => call.Operation == "save" && call.Record.X == 1 ? ProtocolError.Unavailable : null;

        var failed = sync.SaveAsync(At(1));
        await Eventually.HoldsAsync(() => Saves().Any(), Timeout, () => "no save sent");
        var next = sync.SaveAsync(At(2));
        held.SetResult();

        Assert.Equal(ProtocolError.Unavailable, await failed.WaitAsync(Timeout));
        Assert.Equal(ProtocolError.None, await next.WaitAsync(Timeout));
        Assert.Equal([(1, 1UL), (2, 1UL)], Saves()); // the next save still replaces the last acknowledged version
        Assert.Equal(CharacterSync.Carry(FakeDatabase.Initial, At(2)), _database.Row(Char).Record);
        Assert.Contains("DB_SAVE_CHAR of char 42 failed: Unavailable (15)", _log.Text);
    }

    [Fact]
    public async Task AVersionConflictReloadsTheCharacterAndSavesOnceMore()
    {
        var sync = await OpenAsync();
        _database.Bump(Char); // another write came first

        Assert.Equal(ProtocolError.None, await sync.SaveAsync(At(7)).WaitAsync(Timeout));
        Assert.Equal(["load", "online", "save", "load", "save"], _database.Calls.Select(c => c.Operation));
        Assert.Equal([(7, 1UL), (7, 2UL)], Saves());
        Assert.Equal(3UL, _database.Row(Char).Version);
    }

    [Fact]
    public async Task ClosingWaitsForTheSaveInFlightThenMarksTheCharacterOffline()
    {
        var sync = await OpenAsync();
        var held = new TaskCompletionSource();
        _database.Gate = call => call.Operation == "save" ? held.Task : Task.CompletedTask;
        var saving = sync.SaveAsync(At(1));
        await Eventually.HoldsAsync(() => Saves().Any(), Timeout, () => "no save sent");

        var closing = sync.CloseAsync();
        Assert.False(closing.IsCompleted);
        held.SetResult();
        await closing.WaitAsync(Timeout);
        Assert.Equal(ProtocolError.None, await saving);
        Assert.Equal(["load", "online", "save", "offline"], _database.Calls.Select(c => c.Operation));
    }
}
