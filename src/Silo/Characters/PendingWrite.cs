using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Characters;

namespace P2PCluster.Silo.Characters;

/// <summary>
/// A write (or a refused write's audit row) waiting in <see cref="RathenaCharacterStore"/>'s queue. Its caller may cancel
/// it until the writer takes it into a batch; from then on it is committed or failed with the batch, whatever the token says.
/// </summary>
internal sealed class PendingWrite
{
    private const int Queued = 0, Taken = 1, Cancelled = 2;

    private readonly TaskCompletionSource<WriteOutcome> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _registration;
    private int _state;

    private PendingWrite(CharacterWrite? write, RefusedWrite? refused)
    {
        Write = write;
        Refused = refused;
    }

    /// <summary>The write to apply, or null for an audit row of <see cref="Refused"/>.</summary>
    public CharacterWrite? Write { get; }

    public RefusedWrite? Refused { get; }

    public Task<WriteOutcome> Task => _done.Task;

    public static PendingWrite For(CharacterWrite write, CancellationToken cancellationToken) => new PendingWrite(write, null).Watch(cancellationToken);

    public static PendingWrite For(RefusedWrite refused, CancellationToken cancellationToken) => new PendingWrite(null, refused).Watch(cancellationToken);

    /// <summary>Claims the write for a batch; false if its caller cancelled it first (then it is dropped).</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    public void Complete(WriteOutcome outcome)
    {
        _registration.Dispose();
        _done.TrySetResult(outcome);
    }

    public void Fail(Exception error)
    {
        _registration.Dispose();
        _done.TrySetException(error);
    }

    private PendingWrite Watch(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
            _registration = cancellationToken.Register(static (state, token) => ((PendingWrite)state!).Cancel(token), this);
        return this;
    }

    private void Cancel(CancellationToken token)
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued) _done.TrySetCanceled(token);
    }
}
