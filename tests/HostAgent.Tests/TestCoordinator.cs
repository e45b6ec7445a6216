using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Tests;

/// <summary>
/// A stand-in gateway for agent tests: the real server handshake of src/Protocol over a real loopback socket, then
/// it records what the agent sends and lets the test send ASSIGN_MAP / REVOKE_MAP. It answers HEARTBEAT with
/// HEARTBEAT_ACK, PING with PONG and CLAIM_TICKET with <see cref="AnswerClaim"/>, and signs tickets with its key
/// (<see cref="Tickets"/>). The cluster-side end-to-end test runs the agent against the real gateway.
/// </summary>
public sealed class TestCoordinator : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly TestTickets _tickets = new();
    private readonly Channel<TestSession> _sessions = Channel.CreateUnbounded<TestSession>();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TestSession> _all = [];
    private readonly Task _acceptLoop;
    private int _accepted;

    public TestCoordinator()
    {
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;
    public string EndpointText => $"127.0.0.1:{Endpoint.Port}";
    public string PublicKeyHex => Convert.ToHexStringLower(_tickets.Key.PublicKey);

    /// <summary>Signs tickets with this coordinator's key, as its gateway would for ROUTE.</summary>
    public TestTickets Tickets => _tickets;

    /// <summary>The CLAIM_RESULT for a CLAIM_TICKET, or null to leave it unanswered. By default: admitted, for <see cref="TestTickets.Account"/>.</summary>
    public Func<ClaimTicketPacket, ClaimResultPacket?> AnswerClaim { get; set; } =
        claim => new ClaimResultPacket(claim.RequestId, claim.CharId, ProtocolError.None, TestTickets.Account);

    /// <summary>Sent instead of WELCOME when set (e.g. cluster HostBanned), as a gateway refusing the host would.</summary>
    public ProtocolError RefuseWith { get; set; }

    public bool Encryption { get; init; } = true;

    /// <summary>Whether HEARTBEATs are answered; a silent coordinator looks like a half-open connection to the agent.</summary>
    public bool Acknowledge { get; set; } = true;

    /// <summary>TCP connections accepted so far (each agent attempt, whether or not it got through the handshake).</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>The next session that got through the handshake.</summary>
    public async Task<TestSession> NextSessionAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _sessions.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no agent session within {timeout} ({Accepted} connection(s) accepted)");
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            var session = new TestSession(socket, this);
            lock (_all) _all.Add(session);
            _ = session.RunAsync(_stop.Token);
        }
    }

    internal ServerHandshake NewHandshake() => new(_tickets.Key, Encryption);
    internal void Established(TestSession session) => _sessions.Writer.TryWrite(session);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        List<TestSession> all;
        lock (_all) all = [.. _all];
        foreach (var session in all) session.Abort();
        _tickets.Dispose();
    }
}
