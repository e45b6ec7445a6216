namespace P2PCluster.Protocol;

/// <summary>Calls <see cref="FrameSession.Advance"/> when disposed: <c>using var _ = new FrameLease(session);</c> after a frame is read.</summary>
public readonly struct FrameLease(FrameSession session) : IDisposable
{
    public void Dispose() => session.Advance();
}
