namespace P2PCluster.Grains;

/// <summary>
/// What a host grain activation knows about its own history: whether it began without having heard from its host (after
/// the silo that held it died) and so owes the host a grace, and whether the host registered with this activation.
/// </summary>
internal sealed class FailoverGrace
{
    private DateTimeOffset _until = DateTimeOffset.MinValue;

    /// <summary>True once the host has registered (CONNECT) with this activation.</summary>
    public bool Registered { get; private set; }

    /// <summary>The activation starts with a host it has not heard from: it is not declared dead before <paramref name="grace"/> is over.</summary>
    public void Begin(DateTimeOffset now, TimeSpan grace) => _until = now + grace;

    /// <summary>The host was heard from: from now on the ordinary heartbeat timeout applies.</summary>
    public void Heard(bool registered)
    {
        _until = DateTimeOffset.MinValue;
        Registered |= registered;
    }

    public bool Covers(DateTimeOffset now) => now < _until;

    /// <summary>When the grace ends (<see cref="DateTimeOffset.MinValue"/> when none is owed).</summary>
    public DateTimeOffset Until => _until;
}
