using P2PCluster.Client;
using P2PCluster.HostAgent.Coordinator;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Tests;

public sealed class BackoffTests
{
    [Fact]
    public void DelaysDoubleToTheCapWithJitterAndStartOverOnReset()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10), new Random(7));
        double[] expected = [250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000];
        foreach (double ms in expected)
            Assert.InRange(backoff.Next().TotalMilliseconds, ms * 0.8, ms * 1.2);
        backoff.Reset();
        Assert.InRange(backoff.Next().TotalMilliseconds, 200, 300);
    }

    [Theory]
    [InlineData(ProtocolError.BadSignature, true)]
    [InlineData(ProtocolError.IdentityRejected, true)]
    [InlineData(ProtocolError.EncryptionRequired, true)]
    [InlineData(CoordinatorFailure.HostBanned, true)]
    [InlineData(CoordinatorFailure.IdentityMismatch, true)]
    [InlineData(ProtocolError.SessionReplaced, true)]
    [InlineData(ProtocolError.IdleTimeout, false)]
    [InlineData(ProtocolError.ServerBusy, false)]
    [InlineData(ProtocolError.ShuttingDown, false)]
    [InlineData(ProtocolError.HandshakeTimeout, false)]
    [InlineData(ProtocolError.ClusterBase + 2, false)]
    public void OnlyErrorsTheCoordinatorWouldRepeatAreRetriedSlowly(ProtocolError code, bool permanent)
    {
        Assert.Equal(permanent, CoordinatorFailure.IsPermanent(new ProtocolException(code, "x")));
    }

    [Fact]
    public void FailuresAreDescribedInOnePhrase()
    {
        Assert.Equal("cluster HostBanned (261): banned for cheating",
            CoordinatorFailure.Describe(new ProtocolException(CoordinatorFailure.HostBanned, "banned for cheating"), TimeSpan.FromSeconds(10)));
        Assert.Equal("ServerBusy (11): full", CoordinatorFailure.Describe(new ProtocolException(ProtocolError.ServerBusy, "full"), TimeSpan.FromSeconds(10)));
        Assert.Equal("connection refused",
            CoordinatorFailure.Describe(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused), TimeSpan.FromSeconds(10)));
        Assert.Equal("no answer within 10 s (timeout)", CoordinatorFailure.Describe(new OperationCanceledException(), TimeSpan.FromSeconds(10)));
    }
}
