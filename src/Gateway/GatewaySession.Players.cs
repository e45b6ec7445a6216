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
            return true;
        }
        catch (ClusterException e) when (e.Code is ClusterError.LoginFailed or ClusterError.AccountBlocked)
        {
            context.Metrics.LoginFailed();
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
            var key = context.CoordinatorKey;
            var ticket = new Ticket(key.KeyId, (uint)grant.AccountId, (uint)grant.CharId, grant.Map, grant.HostId, (ulong)grant.Epoch,
                grant.IssuedAt.ToUnixTimeMilliseconds(), grant.ExpiresAt.ToUnixTimeMilliseconds(), grant.Nonce);
            await _frames.SendAsync(new RoutePacket(resolve.RequestId, resolve.CharId, grant.Map, (byte)grant.HostKind, grant.HostId, grant.Endpoint,
                (ulong)grant.Epoch, ticket.ExpiresMs, ticket.Sign(key)), flush: false);
            context.Metrics.TicketIssued();
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
            result = new ClaimResultPacket(claim.RequestId, claim.CharId, ProtocolError.None, (uint)session.AccountId);
        }
        catch (ClusterException e)
        {
            result = new ClaimResultPacket(claim.RequestId, claim.CharId, ErrorMapping.ToProtocol(e.Code), 0);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            result = new ClaimResultPacket(claim.RequestId, claim.CharId, ProtocolError.Unavailable, 0);
        }
        await _frames.SendAsync(result, flush: false);
        return true;
    }

    [LoggerMessage(EventId = 3010, Level = Microsoft.Extensions.Logging.LogLevel.Debug, Message = "{ConnectionId}: {UserId} logged in as account {AccountId}")]
    private static partial void LogLoggedIn(Microsoft.Extensions.Logging.ILogger logger, string connectionId, string userId, int accountId);
}
