using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// A host grain's write (<see cref="RollbackWriter{T}"/>): memory goes back to what storage holds when a write fails, and
/// what a successful write stored is what the next failure goes back to.
/// </summary>
public sealed class RollbackWriterTests
{
    [Fact]
    public async Task AFailedWritePutsMemoryBackToWhatWasLastStored()
    {
        var state = new SwitchableState(new HostState { Capacity = new HostCapacity(4, 100, 80, 85, 100) });
        var writer = new RollbackWriter<HostState>(state, static s => s.Copy());

        state.State.Maps["prontera"] = 1;
        await writer.WriteAsync();
        state.State.Maps["geffen"] = 2;
        state.State.Capacity = new HostCapacity(8, 200, 80, 85, 100);
        state.Fail = true;

        await Assert.ThrowsAsync<InvalidOperationException>(writer.WriteAsync);

        Assert.Equal(["prontera"], state.State.Maps.Keys); // the map stored, not the one the failed write carried
        Assert.Equal(new HostCapacity(4, 100, 80, 85, 100), state.State.Capacity);
        Assert.Equal(2, state.Writes);
    }

    [Fact]
    public async Task AChangeAfterAFailureDoesNotAlterWhatTheNextFailureGoesBackTo()
    {
        var state = new SwitchableState(new HostState());
        var writer = new RollbackWriter<HostState>(state, static s => s.Copy());
        state.Fail = true;

        state.State.Maps["prontera"] = 1;
        await Assert.ThrowsAsync<InvalidOperationException>(writer.WriteAsync);
        state.State.Maps["geffen"] = 2; // on the restored copy
        await Assert.ThrowsAsync<InvalidOperationException>(writer.WriteAsync);

        Assert.Empty(state.State.Maps);
    }

    [Fact]
    public async Task ASuccessfulWriteKeepsMemoryAsItIs()
    {
        var state = new SwitchableState(new HostState());
        var writer = new RollbackWriter<HostState>(state, static s => s.Copy());
        var before = state.State;

        before.Reliability = before.Reliability with { Failures = 3 };
        await writer.WriteAsync();

        Assert.Same(before, state.State);
        Assert.Equal(3, state.State.Reliability.Failures);
    }

    /// <summary>A grain's persistent state whose write succeeds or throws, as a test says.</summary>
    private sealed class SwitchableState(HostState initial) : IPersistentState<HostState>
    {
        public HostState State { get; set; } = initial;
        public string? Etag => null;
        public bool RecordExists => true;
        public bool Fail { get; set; }
        public int Writes { get; private set; }

        public Task WriteStateAsync()
        {
            Writes++;
            return Fail ? Task.FromException(new InvalidOperationException("storage down")) : Task.CompletedTask;
        }

        public Task ReadStateAsync() => Task.CompletedTask;
        public Task ClearStateAsync() => Task.CompletedTask;
    }
}
