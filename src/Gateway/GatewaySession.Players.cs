using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// Players (docs/protocol.md, "Players"): a game client logs in, resolves a map into a host endpoint and a signed
/// ticket; the host that admits the player claims the ticket. Refusals a client can act on are REFUSED (the
/// connection stays); protocol violations and too many failed logins are ERROR and a close.
/// </summary>
public sealed partial class GatewaySession
{
    private int _accountId;
    private int _loginFailures;
    // A player resolves the same character again and again; GetGrain costs about as much as the call (docs/benchmarks.md).
    private (uint CharId, IPlayerSessionGrain Grain) _character;
    private (TicketGrant Grant, RouteInfo Route)? _lastRoute; // the ticket last signed on this connection (see Sign)

    private async ValueTask<bool> OnLoginAsync(Frame frame)
    {
        if (!FrameCodec.TryRead(frame, out LoginPacket login)) return await FailAsync(ProtocolError.Malformed, "malformed LOGIN");
        try
        {
            var result = await context.Grains.GetGrain<IAuthGrain>(0).LoginAsync(login.UserId, login.Password);
            _accountId = result.AccountId;
            var characters = result.Characters.Select(c => new CharacterEntry((uint)c.CharId, (byte)c.Slot, (ushort)c.Class, (ushort)c.BaseLevel,
                c.Name, c.LastMap, (ushort)c.LastX, (ushort)c.LastY)).ToList();
            await _frames.SendAsync(new LoginOkPacket((uint)result.AccountId, (byte)result.Sex, characters), flush: false);
            LogLoggedIn(context.Logger, connection.ConnectionId, login.UserId, result.AccountId);
            context.Metrics.Login(LoginOutcome.Ok);
            return true;
        }
        catch (ClusterException e) when (e.Code is ClusterError.LoginFailed or ClusterError.AccountBlocked)
        {
            context.Metrics.Login(e.Code == ClusterError.AccountBlocked ? LoginOutcome.Blocked : LoginOutcome.Failed);
            if (++_loginFailures >= context.Accounts.MaxLoginFailures)
                return await FailAsync(ErrorMapping.ToProtocol(e.Code), $"{_loginFailures} failed logins on one connection");
            await _frames.SendAsync(new RefusedPacket(0, ErrorMapping.ToProtocol(e.Code), e.Message), flush: false);
            return true;
        }
        catch (ClusterException e)
        {
            await _frames.SendAsync(new RefusedPacket(0, ErrorMapping.ToProtocol(e.Code), e.Message), flush: false);
            return true;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            await _frames.SendAsync(new RefusedPacket(0, ProtocolError.Unavailable, "the cluster did not answer; retry later"), flush: false);
            return true;
        }
    }

    private async ValueTask<bool> OnResolveAsync(Frame frame)
    {
        if (!FrameCodec.TryRead(frame, out ResolvePacket resolve) || !Names.IsValidMapName(resolve.Map) || resolve.CharId > int.MaxValue)
            return await FailAsync(ProtocolError.Malformed, "malformed RESOLVE");
        try
        {
            if (_character.CharId != resolve.CharId) _character = (resolve.CharId, context.Grains.GetGrain<IPlayerSessionGrain>((long)resolve.CharId));
            var grant = await _character.Grain.RequestTicketAsync(_accountId, resolve.Map);
            var route = Sign(grant);
            await _frames.SendAsync(new RoutePacket(resolve.RequestId, resolve.CharId, route.Map, route.HostKind, route.HostId, route.Endpoint,
                route.Epoch, route.ExpiresMs, route.Ticket), flush: false);
        }
        catch (ClusterException e)
        {
            await _frames.SendAsync(new RefusedPacket(resolve.RequestId, ErrorMapping.ToProtocol(e.Code), e.Message), flush: false);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            await _frames.SendAsync(new RefusedPacket(resolve.RequestId, ProtocolError.Unavailable, "the cluster did not answer; retry later"), flush: false);
        }
        return true;
    }

    private async ValueTask<bool> OnClaimAsync(Frame frame)
    {
        if (!FrameCodec.TryRead(frame, out ClaimTicketPacket claim) || !Names.IsValidMapName(claim.Map) || claim.CharId > int.MaxValue
            || claim.Epoch > long.MaxValue)
            return await FailAsync(ProtocolError.Malformed, "malformed CLAIM_TICKET");
        ClaimResultPacket result;
        try
        {
            var session = await context.Grains.GetGrain<IPlayerSessionGrain>((long)claim.CharId)
                .ClaimTicketAsync(_hostId!, claim.Map, (long)claim.Epoch, claim.Nonce);
            result = new ClaimResultPacket(claim.RequestId, claim.CharId, ProtocolError.None, (uint)session.AccountId, CharacterWire.ToState(session.Character));
        }
        catch (ClusterException e)
        {
            result = new ClaimResultPacket(claim.RequestId, claim.CharId, ErrorMapping.ToProtocol(e.Code), 0);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            result = new ClaimResultPacket(claim.RequestId, claim.CharId, ProtocolError.Unavailable, 0);
        }
        context.Metrics.TicketClaim(result.Code);
        await _frames.SendAsync(result, flush: false);
        return true;
    }

    /// <summary>How long a REPORT_UNREACHABLE may wait for the map to land on another host before answering.</summary>
    private static readonly TimeSpan FallbackWait = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A client could not enter its route. The host is asked (gone? suspect now?), and the answer is a route in this
    /// one round trip: to wherever the map runs once it has moved, or the same host when the cluster still counts it
    /// as serving the map (the client may simply retry).
    /// </summary>
    private async ValueTask<bool> OnReportUnreachableAsync(Frame frame)
    {
        if (!FrameCodec.TryRead(frame, out ReportUnreachablePacket report) || !Names.IsValidMapName(report.Map)
            || !Names.IsValidHostId(report.HostId) || report.CharId > int.MaxValue || report.Epoch > long.MaxValue)
            return await FailAsync(ProtocolError.Malformed, "malformed REPORT_UNREACHABLE");
        var session = context.Grains.GetGrain<IPlayerSessionGrain>((long)report.CharId);
        try
        {
            // Only a report about the character's own outstanding route counts against a host.
            var current = await session.GetAsync();
            if (current.AccountId != _accountId)
                throw new ClusterException(ClusterError.IdentityMismatch, $"char {report.CharId} does not belong to this account");
            bool moving = await context.Grains.GetGrain<IHostGrain>(report.HostId).ReportUnreachableAsync(_accountId, report.Map, (long)report.Epoch);
            var deadline = context.Time.GetUtcNow() + FallbackWait;
            while (true)
            {
                TicketGrant? grant = null;
                try
                {
                    grant = await session.RequestTicketAsync(_accountId, report.Map);
                }
                catch (ClusterException e) when (e.Code == ClusterError.MapUnavailable && moving && context.Time.GetUtcNow() < deadline)
                {
                    // The map is between hosts; it lands within a placement.
                }
                if (grant is not null && (!moving || grant.HostId != report.HostId || grant.Epoch != (long)report.Epoch
                                          || context.Time.GetUtcNow() >= deadline))
                {
                    var route = Sign(grant);
                    await _frames.SendAsync(new RoutePacket(report.RequestId, report.CharId, route.Map, route.HostKind, route.HostId, route.Endpoint,
                        route.Epoch, route.ExpiresMs, route.Ticket), flush: false);
                    context.Metrics.Fallback();
                    return true;
                }
                await Task.Delay(50);
            }
        }
        catch (ClusterException e)
        {
            await _frames.SendAsync(new RefusedPacket(report.RequestId, ErrorMapping.ToProtocol(e.Code), e.Message), flush: false);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            await _frames.SendAsync(new RefusedPacket(report.RequestId, ProtocolError.Unavailable, "the cluster did not answer; retry later"), flush: false);
        }
        return true;
    }

    /// <summary>Players' round trips to hosts, passed to the host grains (one-way calls) for placement's latency score.</summary>
    private async ValueTask<bool> OnLatencyReportAsync(Frame frame)
    {
        if (!FrameCodec.TryRead(frame, out LatencyReportPacket report) || report.Hosts.Any(h => !Names.IsValidHostId(h.HostId)))
            return await FailAsync(ProtocolError.Malformed, "malformed LATENCY_REPORT");
        foreach (var host in report.Hosts)
            _ = context.Grains.GetGrain<IHostGrain>(host.HostId).ReportLatencyAsync(host.RoundTripMs);
        return true;
    }

    /// <summary>A host sends one of its players to another map: saved first, then routed with a fresh ticket.</summary>
    private async ValueTask<bool> OnMoveAsync(Frame frame)
    {
        if (!FrameCodec.TryRead(frame, out MovePlayerPacket move) || !Names.IsValidMapName(move.FromMap) || !Names.IsValidMapName(move.ToMap)
            || move.CharId > int.MaxValue || move.Epoch > long.MaxValue)
            return await FailAsync(ProtocolError.Malformed, "malformed MOVE_PLAYER");
        MoveResultPacket result;
        try
        {
            var grant = await context.Grains.GetGrain<IPlayerSessionGrain>((long)move.CharId)
                .MoveAsync(_hostId!, move.FromMap, (long)move.Epoch, move.ToMap, CharacterWire.FromState(move.State));
            result = new MoveResultPacket(move.RequestId, move.CharId, ProtocolError.None, Sign(grant));
        }
        catch (ClusterException e)
        {
            result = new MoveResultPacket(move.RequestId, move.CharId, ErrorMapping.ToProtocol(e.Code), null);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            result = new MoveResultPacket(move.RequestId, move.CharId, ProtocolError.Unavailable, null);
        }
        await _frames.SendAsync(result, flush: false);
        return true;
    }

    private async ValueTask<bool> OnPlayerLeftAsync(Frame frame)
    {
        if (!FrameCodec.TryRead(frame, out PlayerLeftPacket left) || !Names.IsValidMapName(left.Map) || left.CharId > int.MaxValue || left.Epoch > long.MaxValue)
            return await FailAsync(ProtocolError.Malformed, "malformed PLAYER_LEFT");
        try
        {
            await context.Grains.GetGrain<IPlayerSessionGrain>((long)left.CharId).LeftAsync(_hostId!, left.Map, (long)left.Epoch);
        }
        catch (Exception e) when (e is ClusterException or OrleansException or TimeoutException)
        {
            // Nothing to answer: the character stays as the cluster has it, and its next resolve sorts it out.
        }
        return true;
    }

    /// <summary>
    /// The grant as a route with a ticket signed by the coordinator key (only gateways hold it). A grant of the ticket
    /// this connection was last given (a repeated RESOLVE gets the outstanding ticket again) reuses its signature.
    /// </summary>
    private RouteInfo Sign(TicketGrant grant)
    {
        if (_lastRoute is { } last && last.Grant.Nonce.AsSpan().SequenceEqual(grant.Nonce) && last.Grant == grant with { Nonce = last.Grant.Nonce })
            return last.Route;
        var route = SignNew(grant);
        _lastRoute = (grant, route);
        return route;
    }

    private RouteInfo SignNew(TicketGrant grant)
    {
        var key = context.CoordinatorKey;
        var ticket = new Ticket(key.KeyId, (uint)grant.AccountId, (uint)grant.CharId, grant.Map, grant.HostId, (ulong)grant.Epoch,
            grant.IssuedAt.ToUnixTimeMilliseconds(), grant.ExpiresAt.ToUnixTimeMilliseconds(), grant.Nonce);
        context.Metrics.TicketIssued();
        return new RouteInfo(grant.Map, (byte)grant.HostKind, grant.HostId, grant.Endpoint, (ulong)grant.Epoch, ticket.ExpiresMs, ticket.Sign(key));
    }

    [LoggerMessage(EventId = 3010, Level = Microsoft.Extensions.Logging.LogLevel.Debug, Message = "{ConnectionId}: {UserId} logged in as account {AccountId}")]
    private static partial void LogLoggedIn(Microsoft.Extensions.Logging.ILogger logger, string connectionId, string userId, int accountId);
}
