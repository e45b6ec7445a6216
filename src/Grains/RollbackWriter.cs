namespace P2PCluster.Grains;

/// <summary>
/// Writes a grain's state and, when the write fails, puts memory back to what storage holds (STYLE.md: state changed
/// before a write that can fail). For a grain whose state is changed from many places before one write (a host grain's
/// parts): it keeps a copy of what was last stored, rather than each change taking its own copy first.
/// </summary>
/// <remarks>
/// Without it a change re-sent after a failed write (a capacity, a map) would look already applied and never be
/// stored. Changes kept in memory between writes on purpose (reliability counters) go back with it, as they would be
/// lost with the silo. Create it once the state is loaded (in <c>OnActivateAsync</c>): that is the first copy.
/// </remarks>
public sealed class RollbackWriter<T>(IPersistentState<T> state, Func<T, T> copy)
{
    private T _stored = copy(state.State);

    /// <summary>Writes the state; if the write throws, memory is a fresh copy of the last stored state, and it rethrows.</summary>
    public async Task WriteAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = copy(_stored); // a copy: a change after this failure must not alter what storage holds
            throw;
        }
        _stored = copy(state.State);
    }
}
