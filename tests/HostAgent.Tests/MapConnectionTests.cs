using System.Net;
using System.Net.Sockets;
using P2PCluster.Client;

namespace P2PCluster.HostAgent.Tests;

/// <summary>The client side of ENTER (src/Client): how a host that goes away shows up to the player.</summary>
public sealed class MapConnectionTests
{
    [Fact]
    public async Task HostThatResetsBeforeEnteredFailsWithASocketException()
    {
        // As a host killed right after the kernel accepted the player: the connection is reset, no ERROR, no ENTERED.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var host = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptSocketAsync();
            await accepted.ReceiveAsync(new byte[512], SocketFlags.None); // the ENTER
            accepted.LingerState = new LingerOption(true, 0); // close with RST
            accepted.Close();
        });
        using var tickets = new TestTickets();
        var ticket = tickets.Ticket("prontera", 3);
        var route = TestTickets.Route(((IPEndPoint)listener.LocalEndpoint).Port, ticket, tickets.Sign(ticket));

        var e = await Assert.ThrowsAsync<SocketException>(() => MapConnection.EnterAsync(route, TimeSpan.FromSeconds(10)));
        Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
        await host;
    }
}
