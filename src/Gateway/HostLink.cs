using Microsoft.Extensions.Logging;
using P2PCluster.Gateway.Handlers;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// A host agent's session and its host grain: the host key it holds at this gateway (one session per key and port,
/// docs/protocol.md §6; a newer one replaces it with SessionReplaced), its registration, the observer the grain pushes
/// through (re-attached while the grain may move), and the disconnect it reports at the end.
/// </summary>
public sealed partial class HostLink(GatewaySession session, GatewayContext context, bool databaseProxy)
{
    /// <summary>This session as the host grain knows it: its attach and its end count only while it is the host's latest.</summary>
    private readonly Guid _sessionId = Guid.NewGuid();
    private HostConnectionObserver? _observerTarget; // Orleans holds observers weakly: the session keeps it alive
    private IHostConnection? _observer;
    private string? _claimedHost; // the host key this session holds in HostSessions
    private volatile bool _replaced;

    /// <summary>The host registered at the gateway port through this session (only a completed registration).</summary>
    public string? HostId { get; private set; }

    /// <summary>
    /// <see cref="HostId"/>'s grain, kept from the registration: Orleans' <c>GetGrain</c> reads the interface's
    /// attributes and formats its type name on every call, which on the heartbeat path cost more than the call itself.
    /// </summary>
    public IHostGrain? Grain { get; private set; }

    /// <summary>Makes this session the one <paramref name="hostId"/> holds on this port; returns the session it replaces.</summary>
    public GatewaySession? Claim(string hostId)
    {
        _claimedHost = hostId;
        return context.HostSessions.Claim(hostId, databaseProxy, session);
    }

    /// <summary>
    /// Registers the host with its grain and attaches this session's observer; null when done, else why not. The key
    /// is claimed before the registration, so an older session of it that ends meanwhile does not report the host
    /// gone while this one registers it; a failed registration gives the key back.
    /// </summary>
    public async ValueTask<GrainFailure?> RegisterAsync(string hostId, IdentifyPacket identify)
    {
        var previous = Claim(hostId);
        try
        {
            var host = context.Grains.GetGrain<IHostGrain>(hostId);
            await host.ConnectAsync(new HostRegistration(identify.PublicKey.ToArray(), (HostKind)identify.HostKind, identify.Endpoint, _sessionId));
            _observerTarget = new HostConnectionObserver(session);
            _observer = context.Grains.CreateObjectReference<IHostConnection>(_observerTarget);
            await host.AttachAsync(_observer, _sessionId);
            // Only a completed registration is reported at the end: a half-done one leaves the grain to notice the
            // silence (heartbeat timeout) unless the agent's next attempt comes first, which costs no write at all.
            (HostId, Grain) = (hostId, host);
        }
        catch (Exception e) when (GrainFailure.From(e) is { } failure)
        {
            context.HostSessions.Restore(hostId, databaseProxy, session, previous);
            _claimedHost = null;
            return failure;
        }
        // Not awaited: the older peer may be gone without a word, and its ERROR must not hold up this handshake.
        if (previous is not null) _ = previous.Host.ReplaceAsync(hostId);
        return null;
    }

    /// <summary>WELCOME is out: the grain's pushes may reach the peer.</summary>
    public Task OpenPushesAsync() => _observerTarget?.OpenAsync() ?? Task.CompletedTask;

    /// <summary>Re-attaches the observer every <see cref="GatewayContext.ReattachInterval"/>: the grain may have moved to another silo.</summary>
    public async Task ReattachLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(context.ReattachInterval, context.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken) && !_replaced)
            {
                try
                {
                    await Grain!.AttachAsync(_observer!, _sessionId);
                }
                catch (Exception e) when (e is OrleansException or TimeoutException)
                {
                    // The grain's silo may be failing over; the next tick tries again.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// A newer connection identified with this session's host key and took its place: close with SessionReplaced.
    /// Never throws (the caller does not wait for the older peer).
    /// </summary>
    public async Task ReplaceAsync(string hostId)
    {
        _replaced = true;
        context.Metrics.Replaced();
        context.Metrics.Reject(ProtocolError.SessionReplaced);
        LogReplaced(context.Logger, session.ConnectionId, hostId, databaseProxy);
        try
        {
            await session.CloseAsync(ProtocolError.SessionReplaced, $"another connection identified as host {hostId}; this one is closed");
        }
        catch (InvalidOperationException)
        {
            // The older session ended on its own meanwhile.
        }
    }

    /// <summary>At the end of the session: the host's disconnect, reported only by the session its key still holds.</summary>
    public async Task DetachAsync(bool clean)
    {
        // A replaced session leaves the host to the session that replaced it.
        bool held = _claimedHost is not null && context.HostSessions.Release(_claimedHost, databaseProxy, session);
        if (HostId is not null && held)
        {
            try
            {
                await Grain!.DisconnectAsync(failure: !clean, clean ? null : "connection lost", _sessionId);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or ClusterException)
            {
                LogDetachFailed(context.Logger, e, HostId);
            }
        }
        if (_observer is not null)
        {
            try
            {
                context.Grains.DeleteObjectReference<IHostConnection>(_observer);
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
    }

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "{ConnectionId}: host {HostId} connected again (database proxy: {DatabaseProxy}); this older session is closed with SessionReplaced")]
    private static partial void LogReplaced(ILogger logger, string connectionId, string hostId, bool databaseProxy);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Could not record the disconnect of host {HostId}")]
    private static partial void LogDetachFailed(ILogger logger, Exception exception, string hostId);
}
