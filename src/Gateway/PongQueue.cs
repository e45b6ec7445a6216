using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// PINGs answered by the gateway (or, with <see cref="PingPacket.ThroughCluster"/>, by a grain on this silo). The
/// grain calls of one read are all started before the first is awaited, so pipelined PINGs overlap; their PONGs
/// still leave in arrival order.
/// </summary>
public sealed class PongQueue(GatewaySession session, GatewayContext context)
{
    private readonly Queue<(ValueTask<long> Now, PingPacket Ping)> _pending = new();

    /// <summary>Starts answering one PING; false (after ERROR) when it is malformed.</summary>
    public async ValueTask<bool> PingAsync(Frame frame)
    {
        if (!FrameCodec.TryRead(frame, out PingPacket ping)) return await session.FailAsync(ProtocolError.Malformed, "malformed PING");
        ValueTask<long> now;
        if ((ping.Flags & PingPacket.ThroughCluster) == 0)
        {
            now = ValueTask.FromResult(context.Time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        else
        {
            try
            {
                now = new ValueTask<long>(context.Probe.PingAsync());
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                now = ValueTask.FromException<long>(e);
            }
        }
        if (_pending.Count == 0 && now.IsCompletedSuccessfully)
        {
            await session.SendAsync(new PongPacket(ping.Token, now.Result, ping.Flags));
            return true;
        }
        _pending.Enqueue((now, ping));
        return true;
    }

    /// <summary>Sends the PONGs of started PINGs in order; false (after ERROR) when the cluster did not answer one.</summary>
    public async ValueTask<bool> DrainAsync()
    {
        bool ok = true;
        while (_pending.TryDequeue(out var pending))
        {
            long now;
            try
            {
                now = await pending.Now;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                ok = false;
                continue; // the rest are still awaited, so no call is left unobserved
            }
            if (ok) await session.SendAsync(new PongPacket(pending.Ping.Token, now, pending.Ping.Flags));
        }
        return ok || await session.FailAsync(ProtocolError.Unavailable, "the cluster did not answer");
    }
}
