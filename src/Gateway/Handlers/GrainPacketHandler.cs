namespace P2PCluster.Gateway.Handlers;

/// <summary>
/// A handler whose packet becomes grain calls: the one place a grain's failure is turned into the packet's answer
/// (REFUSED, a result code, ERROR, or nothing), by <see cref="FailedAsync"/>.
/// </summary>
public abstract class GrainPacketHandler<TPacket>(SessionRole roles) : PacketHandler<TPacket>(roles) where TPacket : Protocol.IPacket<TPacket>
{
    protected sealed override async ValueTask<bool> HandleAsync(GatewaySession session, TPacket packet)
    {
        try
        {
            return await CallAsync(session, packet);
        }
        catch (Exception e) when (GrainFailure.From(e) is { } failure)
        {
            return await FailedAsync(session, packet, failure);
        }
    }

    /// <summary>Calls the grains and answers; a grain's failure goes to <see cref="FailedAsync"/>.</summary>
    protected abstract ValueTask<bool> CallAsync(GatewaySession session, TPacket packet);

    /// <summary>Answers a packet whose grain call failed; false closes the connection.</summary>
    protected abstract ValueTask<bool> FailedAsync(GatewaySession session, TPacket packet, GrainFailure failure);
}
