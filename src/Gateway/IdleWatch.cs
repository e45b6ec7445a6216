namespace P2PCluster.Gateway;

/// <summary>
/// Closes an Established connection that sends no complete frame for its role's idle timeout
/// (<c>coordinator.client_idle_timeout_ms</c>, <c>host_idle_timeout_ms</c>, <c>db_proxy_idle_timeout_ms</c>). A partial
/// frame is not activity, so half a frame and then silence is idle too. Time spent answering a frame (a grain call) is
/// not idleness. One timer per connection, re-armed only when it fires, so a busy connection costs a timestamp per read.
/// </summary>
public sealed class IdleWatch : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Action _expire;
    private readonly ITimer _timer;
    private TimeSpan _timeout = Timeout.InfiniteTimeSpan;
    private long _lastFrame;
    private volatile bool _busy;
    private volatile bool _expired;

    /// <summary><paramref name="expire"/> runs on a timer thread once the connection has been idle too long.</summary>
    public IdleWatch(TimeProvider time, Action expire)
    {
        _time = time;
        _expire = expire;
        _timer = time.CreateTimer(_ => Check(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public TimeSpan IdleTimeout => _timeout;

    /// <summary>Whether the connection was found idle past its timeout.</summary>
    public bool Expired => _expired;

    /// <summary>Starts watching, from now, with the role's timeout.</summary>
    public void Start(TimeSpan timeout)
    {
        _timeout = timeout;
        Volatile.Write(ref _lastFrame, _time.GetTimestamp());
        _timer.Change(timeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Complete frames arrived and are being answered.</summary>
    public void Busy() => _busy = true;

    /// <summary>The frames are answered: idleness counts from now.</summary>
    public void Done()
    {
        Volatile.Write(ref _lastFrame, _time.GetTimestamp());
        _busy = false;
    }

    private void Check()
    {
        var idle = _time.GetElapsedTime(Volatile.Read(ref _lastFrame));
        if (_busy || idle < _timeout)
        {
            _timer.Change(_busy ? _timeout : _timeout - idle, Timeout.InfiniteTimeSpan);
            return;
        }
        _expired = true;
        _expire();
    }

    public void Dispose() => _timer.Dispose();
}
