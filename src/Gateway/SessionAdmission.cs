using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// What a connection holds from its HELLO on: a game client or tool one of the places not reserved for host agents
/// (<c>coordinator.host_reserve_percent</c>) for its whole life, and every peer a handshake slot
/// (<c>coordinator.max_pending_handshakes</c>) until it is established or closed.
/// </summary>
public sealed class SessionAdmission(GatewayContext context)
{
    private bool _clientPlace;
    private bool _handshaking;

    /// <summary>
    /// Takes the peer's place and a handshake slot, waiting a while for a slot: before any crypto or grain call.
    /// Null when admitted; else the ERROR refusing it, or <see cref="ProtocolError.None"/> when the peer left meanwhile.
    /// </summary>
    public async ValueTask<(ProtocolError Code, string Message)?> EnterAsync(PeerRole role, CancellationToken closed)
    {
        // Game clients and tools share the places host agents do not need to keep for themselves.
        if (role != PeerRole.HostAgent)
        {
            if (!context.Limiter.TryEnterClient())
            {
                context.Metrics.Refuse(ConnectionLimit.HostReserve);
                return (ProtocolError.ServerBusy,
                    $"every place for game clients and tools is taken ({context.Coordinator.MaxClientConnections}; the rest is kept for host agents); retry later");
            }
            _clientPlace = true;
        }
        // A HELLO that finds every slot taken waits its turn for a while; past that the refusal is cheap, plaintext,
        // and tells the peer to back off, where an unbounded crowd of handshakes would miss their deadlines after
        // costing their full price.
        if (!await context.Handshakes.EnterAsync(host: !_clientPlace, closed))
        {
            if (closed.IsCancellationRequested) return (ProtocolError.None, "");
            return (ProtocolError.ServerBusy,
                $"too many handshakes under way ({context.Handshakes.Limit}; none free within {context.Handshakes.MaxWait.TotalMilliseconds:F0} ms); retry later");
        }
        _handshaking = true;
        return null;
    }

    /// <summary>The handshake is over (established or failed): its slot goes to the next HELLO.</summary>
    public void LeaveHandshake()
    {
        if (!_handshaking) return;
        _handshaking = false;
        context.Handshakes.Exit(host: !_clientPlace);
    }

    /// <summary>The connection closed: everything it held is given back.</summary>
    public void Exit()
    {
        LeaveHandshake();
        if (_clientPlace) context.Limiter.ExitClient();
        _clientPlace = false;
    }
}
