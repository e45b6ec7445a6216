using Microsoft.Extensions.Logging;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Handlers;

/// <summary>
/// LOGIN → LOGIN_OK, and the session becomes the account's player; a refused login is REFUSED (the connection stays)
/// until <c>accounts.max_login_failures</c>, which is ERROR and a close.
/// </summary>
public sealed partial class LoginHandler() : GrainPacketHandler<LoginPacket>(SessionRole.Guest)
{
    protected override async ValueTask<bool> CallAsync(GatewaySession session, LoginPacket login)
    {
        var context = session.Context;
        var result = await context.Grains.GetGrain<IAuthGrain>(0).LoginAsync(login.UserId, login.Password);
        session.LoggedIn(result.AccountId);
        var characters = result.Characters.Select(c => new CharacterEntry((uint)c.CharId, (byte)c.Slot, (ushort)c.Class, (ushort)c.BaseLevel,
            c.Name, c.LastMap, (ushort)c.LastX, (ushort)c.LastY)).ToList();
        await session.SendAsync(new LoginOkPacket((uint)result.AccountId, (byte)result.Sex, characters));
        LogLoggedIn(context.Logger, session.ConnectionId, login.UserId, result.AccountId);
        context.Metrics.Login(LoginOutcome.Ok);
        return true;
    }

    protected override async ValueTask<bool> FailedAsync(GatewaySession session, LoginPacket login, GrainFailure failure)
    {
        if (failure.Cluster is ClusterError.LoginFailed or ClusterError.AccountBlocked)
        {
            session.Context.Metrics.Login(failure.Cluster == ClusterError.AccountBlocked ? LoginOutcome.Blocked : LoginOutcome.Failed);
            if (++session.Player!.LoginFailures >= session.Context.Accounts.MaxLoginFailures)
                return await session.FailAsync(failure.Code, $"{session.Player.LoginFailures} failed logins on one connection");
        }
        await session.SendAsync(new RefusedPacket(0, failure.Code, failure.Message));
        return true;
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "{ConnectionId}: {UserId} logged in as account {AccountId}")]
    private static partial void LogLoggedIn(ILogger logger, string connectionId, string userId, int accountId);
}
