using P2PCluster.Client;
using P2PCluster.HostAgent.Coordinator;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Tests;

public sealed class BackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    [Fact]
    public void HostsThatLostOneSiloTogetherDoNotRedialInWaves()
    {
        // 200 hosts, each its own seeded generator: the delays of their first attempt spread over the whole first
        // ceiling, not ±20 % around it (which put every host's fifth attempt within a second or two of 7.75 s).
        var first = Enumerable.Range(0, 200).Select(i => new Backoff(Initial, Max, new Random(i)).Next()).ToList();
        Assert.All(first, d => Assert.InRange(d, TimeSpan.Zero, Initial));
        Assert.Contains(first, d => d < Initial * 0.25);
        Assert.Contains(first, d => d > Initial * 0.75);
    }

    [Fact]
    public void TheCeilingDoublesToTheCapAndStartsOverOnReset()
    {
        var backoff = new Backoff(Initial, Max, new AlwaysHighest());
        var delays = Enumerable.Range(0, 8).Select(_ => (int)Math.Round(backoff.Next().TotalMilliseconds)).ToList();
        Assert.Equal([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000], delays);
        backoff.Reset();
        Assert.Equal(250, (int)Math.Round(backoff.Next().TotalMilliseconds));
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

    /// <summary>Draws the top of the range, so each delay is its ceiling.</summary>
    private sealed class AlwaysHighest : Random
    {
        public override double NextDouble() => 1.0;
    }
}
