namespace P2PCluster.HostAgent.Maps;

/// <summary>
/// One map instance's hold on the agent's lease: open while the lease holds and has not run out since the instance
/// was created; once closed, closed for good (a lease granted again is a new term). No lease (null) is always open:
/// tests of admission alone.
/// </summary>
public sealed class LeaseGate(ILeaseCheck? lease)
{
    private readonly long _term = lease?.Term ?? 0;

    /// <summary>Whether the instance may still admit a player or handle a player's packet.</summary>
    public bool Open => lease is null || (lease.Valid && lease.Term == _term);
}
