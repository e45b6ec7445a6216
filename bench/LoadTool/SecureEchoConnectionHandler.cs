using Microsoft.AspNetCore.Connections;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// The encrypted baseline: the gateway's handshake (signed SERVER_HELLO, X25519, IDENTIFY checked) and its sealed
/// channel through the same <see cref="FrameSession"/>, then PING gets PONG with no grain call. Against it the
/// gateway's encrypted rows show what the cluster costs, apart from the crypto. Anything else closes.
/// </summary>
public sealed class SecureEchoConnectionHandler(SigningIdentity coordinator, TimeProvider time) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var frames = new FrameSession(input, connection.Transport.Output);
        using var handshake = new ServerHandshake(coordinator, encryption: true);
        try
        {
            if (!await HandshakeAsync(frames, handshake)) return;
            while (true)
            {
                var read = await frames.ReadAsync(connection.ConnectionClosed);
                if (read.Outcome != ReadOutcome.Frame || !FrameCodec.TryRead(read.Frame, out PingPacket ping)) break; // BYE, or anything else
                frames.Advance();
                if (!await frames.SendAsync(new PongPacket(ping.Token, time.GetUtcNow().ToUnixTimeMilliseconds(), ping.Flags))) break;
            }
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException)
        {
            // The load generator went away.
        }
        finally
        {
            await frames.DisposeAsync();
            await input.CompleteAsync();
        }
    }

    private static async Task<bool> HandshakeAsync(FrameSession frames, ServerHandshake handshake)
    {
        var read = await frames.ReadAsync();
        if (read.Outcome != ReadOutcome.Frame || !FrameCodec.TryRead(read.Frame, out HelloPacket hello)) return false;
        frames.Advance();
        if (handshake.Accept(hello, out var reply, out var channel) != ProtocolError.None) return false;
        await frames.SendAsync(reply);
        frames.Channel = channel;
        read = await frames.ReadAsync();
        if (read.Outcome != ReadOutcome.Frame || !FrameCodec.TryRead(read.Frame, out IdentifyPacket identify)) return false;
        frames.Advance();
        if (handshake.Verify(identify) != ProtocolError.None) return false;
        frames.MaxInboundFrame = ProtocolLimits.DefaultMaxFrame + ProtocolLimits.SealOverhead;
        return await frames.SendAsync(new WelcomePacket(1, ProtocolLimits.DefaultMaxFrame, 3600, "echo"));
    }
}
