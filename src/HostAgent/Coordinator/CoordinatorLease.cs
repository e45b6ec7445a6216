using P2PCluster.HostAgent.Maps;

namespace P2PCluster.HostAgent.Coordinator;

/// <summary>
/// The agent's right to serve its maps (docs/placement.md, "Leases"). A HEARTBEAT_ACK for heartbeat N extends the
/// lease to the moment N was <em>sent</em> plus <c>coordinator.lease_ms</c>: the coordinator took N no earlier than
/// that, and declares the host dead only <c>distribution.heartbeat_timeout_ms</c> after the last heartbeat it took.
/// A completed registration (WELCOME) counts as from the moment the connection attempt began. Monotonic clock only.
/// A grant that would end in the past grants nothing; one that comes after the lease ran out starts a new
/// <see cref="Term"/>, so instances of the old term stay closed (<see cref="LeaseGate"/>).
/// </summary>
public sealed class CoordinatorLease(TimeSpan length, TimeProvider time) : ILeaseCheck
{
    private const int Remembered = 256; // heartbeats in flight at most: more than a minute's worth at the shortest interval

    private readonly long[] _sentAt = new long[Remembered];
    private readonly uint[] _sequence = new uint[Remembered];
    private readonly Lock _lock = new();
    private long _validUntil = long.MinValue; // in TimeProvider timestamps
    private long _term;
    private long _lastRanOut = long.MinValue; // when the lease last ran out before being granted again

    public TimeSpan Length { get; } = length;

    /// <summary>Remembers when heartbeat <paramref name="sequence"/> left.</summary>
    public void Sent(uint sequence)
    {
        lock (_lock)
        {
            _sentAt[sequence % Remembered] = time.GetTimestamp();
            _sequence[sequence % Remembered] = sequence;
        }
    }

    /// <summary>Extends the lease for an acknowledged heartbeat; an ack for one no longer remembered extends nothing.</summary>
    public void Acknowledged(uint sequence)
    {
        lock (_lock)
        {
            if (_sequence[sequence % Remembered] != sequence || _sentAt[sequence % Remembered] == 0) return;
            Extend(_sentAt[sequence % Remembered]);
        }
    }

    /// <summary>The coordinator registered this host on a connection whose attempt began at <paramref name="attemptStarted"/>.</summary>
    public void Registered(long attemptStarted)
    {
        lock (_lock) Extend(attemptStarted);
    }

    /// <summary>Whether the lease holds now.</summary>
    public bool Valid
    {
        get
        {
            long now = time.GetTimestamp();
            lock (_lock) return _validUntil != long.MinValue && now < _validUntil;
        }
    }

    /// <summary>How long ago the lease ran out (zero while it holds or before it was ever granted).</summary>
    public TimeSpan ExpiredFor
    {
        get
        {
            long now = time.GetTimestamp();
            lock (_lock)
                return _validUntil == long.MinValue || now < _validUntil ? TimeSpan.Zero
                    : TimeSpan.FromSeconds((now - _validUntil) / (double)time.TimestampFrequency);
        }
    }

    /// <summary>Counts the grants that came after the lease had run out (see <see cref="ILeaseCheck.Term"/>).</summary>
    public long Term
    {
        get
        {
            lock (_lock) return _term;
        }
    }

    /// <summary>
    /// How long ago the lease last ran out: while it is out, since it ran out; once granted again in a new term, since
    /// the end of the term before; zero if it never ran out.
    /// </summary>
    public TimeSpan RanOutAgo
    {
        get
        {
            long now = time.GetTimestamp();
            lock (_lock)
            {
                long ranOut = _validUntil != long.MinValue && now >= _validUntil ? _validUntil : _lastRanOut;
                return ranOut == long.MinValue ? TimeSpan.Zero : TimeSpan.FromSeconds((now - ranOut) / (double)time.TimestampFrequency);
            }
        }
    }

    private void Extend(long from)
    {
        long until = from + (long)(Length.TotalSeconds * time.TimestampFrequency);
        long now = time.GetTimestamp();
        if (until <= _validUntil || until <= now) return; // grants nothing: keeps the moment it ran out exact
        if (_validUntil != long.MinValue && now >= _validUntil)
        {
            _term++;
            _lastRanOut = _validUntil;
        }
        _validUntil = until;
    }
}
