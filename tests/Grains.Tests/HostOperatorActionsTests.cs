using P2PCluster.Grains.Interfaces;
using P2PCluster.Hosting;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// Operators' decisions (<see cref="HostOperatorActions"/>) and what others report about a host
/// (<see cref="HostWitnesses"/>) on their own, with the parts they drive wired as in the grain.
/// </summary>
public sealed class HostOperatorActionsTests
{
    [Fact]
    public async Task ABanClosesTheConnectionAndMovesTheMapsAndLiftingItListsTheHostOfflineAgain()
    {
        using var rig = new HostPartsRig().Online("prontera");

        await rig.Operator.SetBannedAsync(true);

        Assert.Equal(HostStatus.Banned, rig.State.Status);
        Assert.Null(rig.State.OnlineSince); // the session is closed, not counted as a failure
        Assert.Equal(0, rig.State.Reliability.Failures);
        Assert.Equal([ClusterError.HostBanned], rig.Connection.Closed);
        Assert.Equal([new HostLoss("prontera", 1, RevocationReason.Reassigned)], rig.Told);
        Assert.Equal(1, rig.Failovers()["operator"]);

        await rig.Operator.SetBannedAsync(false);
        Assert.Equal(HostStatus.Offline, rig.State.Status);
        Assert.True(rig.Publishes.Last());
    }

    [Fact]
    public async Task ADecisionAlreadyInForceChangesNothingAndWritesNothing()
    {
        using var rig = new HostPartsRig().Online("prontera");

        await rig.Operator.SetBannedAsync(false);
        await rig.Operator.SetDrainingAsync(false);
        await rig.Operator.SetApprovedAsync(false);

        Assert.Equal(0, rig.Writes);
        Assert.Empty(rig.Publishes);
        Assert.Equal(0, rig.StatusReports);
    }

    [Fact]
    public async Task ADrainedHostStaysConnectedAndItsMapsMove()
    {
        using var rig = new HostPartsRig().Online("prontera", "geffen");

        await rig.Operator.SetDrainingAsync(true);

        Assert.Equal(HostStatus.Draining, rig.State.Status);
        Assert.Empty(rig.Connection.Closed);
        Assert.Equal(2, rig.Connection.Revoked.Count(r => r.Reason == RevocationReason.Drained));
        Assert.All(rig.Told, l => Assert.Equal(RevocationReason.Drained, l.Reason));

        await rig.Operator.SetDrainingAsync(false);
        Assert.Equal(HostStatus.Online, rig.State.Status);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task WithdrawingAnApprovalCutsOffALiveHostOnlyWhenApprovalIsRequired(bool requireApproval, bool cutOff)
    {
        using var rig = new HostPartsRig(new DistributionOptions { RequireApproval = requireApproval }).Online("prontera");
        await rig.Operator.SetApprovedAsync(true);

        await rig.Operator.SetApprovedAsync(false);

        Assert.False(rig.State.Approved);
        Assert.Equal(cutOff, rig.Connection.Closed.SequenceEqual([ClusterError.HostNotApproved]));
        Assert.Equal(cutOff ? HostStatus.Offline : HostStatus.Online, rig.State.Status);
        Assert.Equal(cutOff ? 0 : 1, rig.Maps.Count);
    }

    [Fact]
    public async Task EnoughPlayersWhoCannotReachAHostMoveItsMapsOnce()
    {
        using var rig = new HostPartsRig(new DistributionOptions { SuspectReports = 2, SuspectWindowMs = 30_000 }).Online("prontera");

        Assert.False(await rig.Witnesses.UnreachableAsync(1, "prontera", 1));
        Assert.False(await rig.Witnesses.UnreachableAsync(1, "prontera", 1)); // the same player again
        Assert.True(await rig.Witnesses.UnreachableAsync(2, "prontera", 1));

        Assert.True(rig.Players.Suspect);
        Assert.Equal(1, rig.State.Reliability.Failures);
        Assert.Equal([new HostLoss("prontera", 1, RevocationReason.Reassigned)], rig.Told);
        Assert.Equal(1, rig.Failovers()["player_reports"]);
        Assert.Equal(HostStatus.Online, rig.State.Status); // suspect, still connected

        Assert.True(await rig.Witnesses.UnreachableAsync(3, "geffen", 5)); // not held here: its map grain is told, nothing persisted
        Assert.Equal(new HostLoss("geffen", 5, RevocationReason.Reassigned), rig.Told.Last());
        Assert.Single(rig.State.Losses);
        Assert.Equal(ClusterError.InvalidArgument, (await Assert.ThrowsAsync<ClusterException>(() => rig.Witnesses.UnreachableAsync(0, "prontera", 1))).Code);
    }

    [Fact]
    public async Task RefusedWritesAreEachCountedAndLoggedButWrittenAtMostOnceASecond()
    {
        using var rig = new HostPartsRig().Online();

        for (int i = 0; i < 5; i++) await rig.Witnesses.RejectedWriteAsync(ClusterError.PolicyViolation, "UPDATE login");
        Assert.Equal(5, rig.State.Reliability.RejectedWrites);
        Assert.Equal(5, rig.Logger.Count(2220));
        Assert.Equal(1, rig.Writes);

        rig.Time.Advance(TimeSpan.FromSeconds(1));
        await rig.Witnesses.RejectedWriteAsync(ClusterError.PolicyViolation, "UPDATE login");
        Assert.Equal(2, rig.Writes);
        Assert.Equal(6, rig.Tallies.Drain(rig.Time.GetUtcNow()).RefusedWrites[HostPartsRig.HostId]);
    }

    [Fact]
    public void RoundTripsCountOnlyForALiveHostAndWithinAMinute()
    {
        using var rig = new HostPartsRig();
        rig.Witnesses.RoundTrip(100);
        Assert.Equal(-1, rig.Players.LatencyMs); // not live
        rig.Online();
        rig.Witnesses.RoundTrip(60_001);
        rig.Witnesses.RoundTrip(-1);
        Assert.Equal(-1, rig.Players.LatencyMs);
        rig.Witnesses.RoundTrip(100);
        Assert.Equal(100, rig.Players.LatencyMs);
    }
}
