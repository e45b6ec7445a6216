using P2PCluster.Client;
using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Silo.Tests;

/// <summary>The client library names cluster errors without referencing the grain contracts; the two lists must agree.</summary>
public sealed class ErrorNamesTests
{
    [Fact]
    public void ClientNamesEveryClusterErrorAsTheGrainsDo()
    {
        Assert.Equal(Enum.GetValues<ClusterError>().Select(e => ((int)e, e.ToString())),
            ErrorNames.ClusterErrors.Select((name, n) => (n, name)));
        Assert.Equal("LoginFailed (266)", ErrorNames.Describe(ProtocolError.ClusterBase + (ushort)ClusterError.LoginFailed));
        Assert.Equal("TicketReplayed (40)", ErrorNames.Describe(ProtocolError.TicketReplayed));
        Assert.Equal("cluster error 200 (456)", ErrorNames.Describe((ProtocolError)456));
        Assert.Equal("error 99 (99)", ErrorNames.Describe((ProtocolError)99));
    }
}
