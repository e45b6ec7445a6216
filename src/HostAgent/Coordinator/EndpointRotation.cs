using P2PCluster.Client;

namespace P2PCluster.HostAgent.Coordinator;

/// <summary>
/// Which gateway the agent dials next. A gateway that answered (a refusal such as Unavailable while the cluster
/// re-forms, or a session it ended) is alive and is dialled again, up to <see cref="MaxRepeats"/> times in a row;
/// one that failed silently (refused connection, handshake timeout, no HEARTBEAT_ACK) gives way to the next in the list.
/// </summary>
public sealed class EndpointRotation(IReadOnlyList<CoordinatorEndpoint> endpoints)
{
    /// <summary>Answers in a row after which the next gateway is tried anyway (one whose silo is cut off answers forever).</summary>
    public const int MaxRepeats = 3;

    private int _index;
    private int _repeats;

    public CoordinatorEndpoint Current => endpoints[_index];

    /// <summary>Moves on after an attempt or session at <see cref="Current"/> ended; <paramref name="answered"/>: the gateway answered.</summary>
    public void Next(bool answered)
    {
        if (answered && _repeats < MaxRepeats)
        {
            _repeats++;
            return;
        }
        _repeats = 0;
        _index = (_index + 1) % endpoints.Count;
    }
}
