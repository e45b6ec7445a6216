using P2PCluster.Gateway.Handlers;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway.Tests;

/// <summary>The dispatch table is docs/protocol.md §6's Established row: who may send what.</summary>
public sealed class PacketHandlersTests
{
    [Fact]
    public void EachPacketAnEstablishedPeerSendsHasOneHandlerForTheRolesTheProtocolAllows()
    {
        var expected = new Dictionary<PacketId, SessionRole>
        {
            [PacketId.Bye] = SessionRole.Any,
            [PacketId.Error] = SessionRole.Any,
            [PacketId.HostCapacity] = SessionRole.HostAgent,
            [PacketId.Heartbeat] = SessionRole.HostAgent,
            [PacketId.MapState] = SessionRole.HostAgent,
            [PacketId.ClaimTicket] = SessionRole.HostAgent,
            [PacketId.MovePlayer] = SessionRole.HostAgent,
            [PacketId.PlayerLeft] = SessionRole.HostAgent,
            [PacketId.Login] = SessionRole.Guest,
            [PacketId.Resolve] = SessionRole.Player,
            [PacketId.ReportUnreachable] = SessionRole.Player,
            [PacketId.LatencyReport] = SessionRole.Player,
            [PacketId.DbLoadChar] = SessionRole.DatabaseProxy,
            [PacketId.DbSaveChar] = SessionRole.DatabaseProxy,
            [PacketId.DbSetOnline] = SessionRole.DatabaseProxy,
        };
        Assert.Equal(expected.OrderBy(e => e.Key), PacketHandlers.All.Select(h => KeyValuePair.Create(h.Id, h.Roles)).OrderBy(e => e.Key));
    }

    [Theory]
    [InlineData(PacketId.Resolve, SessionRole.Guest)]
    [InlineData(PacketId.Login, SessionRole.Player)]
    [InlineData(PacketId.Login, SessionRole.HostAgent)]
    [InlineData(PacketId.Heartbeat, SessionRole.DatabaseProxy)]
    [InlineData(PacketId.DbLoadChar, SessionRole.HostAgent)]
    [InlineData(PacketId.Resolve, SessionRole.Tool)]
    [InlineData(PacketId.Welcome, SessionRole.Player)]
    [InlineData(PacketId.Bye, SessionRole.None)]
    public void APacketFromAnotherRoleHasNoHandler(PacketId id, SessionRole role) => Assert.Null(PacketHandlers.For((ushort)id, role));

    [Theory]
    [InlineData(PacketId.MapState, "MAP_STATE")]
    [InlineData(PacketId.ReportUnreachable, "REPORT_UNREACHABLE")]
    [InlineData(PacketId.Heartbeat, "HEARTBEAT")]
    [InlineData(PacketId.HostCapacity, "HOST_CAPACITY")]
    public void MalformedMessagesNameThePacketAsTheProtocolDoes(PacketId id, string name) => Assert.Equal(name, PacketHandler<ByePacket>.WireName(id));
}
