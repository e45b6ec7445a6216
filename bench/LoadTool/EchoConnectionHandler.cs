using Microsoft.AspNetCore.Connections;
using P2PCluster.Protocol;

namespace P2PCluster.LoadTool;

/// <summary>
/// The baseline: the gateway's I/O shape with nothing else. Same framing (FrameCodec), no handshake, no crypto, no
/// cluster; every complete frame in a read is answered before one flush. PING gets PONG; anything else closes.
/// </summary>
public sealed class EchoConnectionHandler(TimeProvider time) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(connection.ConnectionClosed);
                var buffer = result.Buffer;
                bool close = false;
                while (true)
                {
                    var status = FrameCodec.TryParse(buffer, ProtocolLimits.DefaultMaxFrame, out var frame, out var consumed);
                    if (status == ParseStatus.Incomplete) break;
                    if (status != ParseStatus.Complete || !FrameCodec.TryRead(frame, out PingPacket ping))
                    {
                        close = true; // BYE, or anything the baseline does not speak
                        break;
                    }
                    buffer = buffer.Slice(consumed);
                    FrameCodec.Write(output, new PongPacket(ping.Token, time.GetUtcNow().ToUnixTimeMilliseconds(), ping.Flags));
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (close || result.IsCompleted || result.IsCanceled) break;
                if ((await output.FlushAsync()).IsCompleted) break;
            }
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or OperationCanceledException)
        {
            // The load generator went away.
        }
        finally
        {
            await input.CompleteAsync();
            await output.CompleteAsync();
        }
    }
}
