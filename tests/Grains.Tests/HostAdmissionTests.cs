using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// What a host's registration changes (<see cref="HostAdmission"/>), which gateway session reaches it
/// (<see cref="HostLink"/>), and what the directory and operators see of it (<see cref="HostView"/>), on their own.
/// </summary>
public sealed class HostAdmissionTests
{
    private const string Id = "host-a";
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Key = Enumerable.Repeat((byte)7, HostAdmission.PublicKeyLength).ToArray();

    private static HostRegistration Registration(byte[]? key = null, HostKind kind = HostKind.P2P, string endpoint = "192.0.2.1:5121") =>
        new(key ?? Key, kind, endpoint, Guid.NewGuid());

    [Fact]
    public void AMalformedRegistrationIsRefusedAsAnInvalidArgument()
    {
        var s = new HostState();
        Assert.Equal(ClusterError.InvalidArgument,
            Assert.Throws<ClusterException>(() => HostAdmission.Check(Id, s, Registration(key: new byte[31]), false)).Code);
        Assert.Equal(ClusterError.InvalidArgument,
            Assert.Throws<ClusterException>(() => HostAdmission.Check(Id, s, Registration(kind: (HostKind)42), false)).Code);
        Assert.Throws<ArgumentNullException>(() => HostAdmission.Check(Id, s, null!, false));
    }

    [Fact]
    public void AnotherKeyIsAnIdentityMismatchAndABanOrAMissingApprovalIsARefusal()
    {
        var s = new HostState { PublicKey = Key };
        var other = Enumerable.Repeat((byte)8, HostAdmission.PublicKeyLength).ToArray();
        Assert.Equal(ClusterError.IdentityMismatch,
            Assert.Throws<ClusterException>(() => HostAdmission.Check(Id, s, Registration(key: other), false)).Code);

        Assert.Null(HostAdmission.Check(Id, s, Registration(), requireApproval: false));
        Assert.Equal(ClusterError.HostNotApproved, HostAdmission.Check(Id, s, Registration(), requireApproval: true)?.Code);
        s.Approved = true;
        Assert.Null(HostAdmission.Check(Id, s, Registration(), requireApproval: true));
        s.Status = HostStatus.Banned;
        Assert.Equal(ClusterError.HostBanned, HostAdmission.Check(Id, s, Registration(), requireApproval: false)?.Code);
    }

    [Fact]
    public void AHostWaitingForApprovalIsRememberedOnceAndKnockingAgainWritesNothing()
    {
        var s = new HostState();
        Assert.True(HostAdmission.Pending(s, Registration()));
        Assert.Equal(Key, s.PublicKey);
        Assert.Equal(HostStatus.Offline, s.Status);
        Assert.False(HostAdmission.Pending(s, Registration()));
        Assert.True(HostAdmission.Pending(s, Registration(endpoint: "192.0.2.2:5121"))); // moved: shown where it is now
    }

    [Fact]
    public void AReconnectThatChangesNothingWritesNothingButAnActivationsFirstRegistrationDoes()
    {
        var s = new HostState();
        Assert.True(HostAdmission.Admit(s, Registration(), T0, registered: false));
        Assert.Equal((HostStatus.Online, T0, 1), (s.Status, s.OnlineSince, s.Reliability.Sessions));
        s.LivenessReminder = true; // the caller registered it

        Assert.False(HostAdmission.Admit(s, Registration(), T0.AddSeconds(5), registered: true));
        Assert.Equal((T0, 1), (s.OnlineSince, s.Reliability.Sessions)); // the same session goes on

        Assert.True(HostAdmission.Admit(s, Registration(), T0.AddSeconds(6), registered: false)); // a new activation moves the ETag on
        Assert.True(HostAdmission.Admit(s, Registration(endpoint: "192.0.2.2:5121"), T0.AddSeconds(7), registered: true));
        s.Draining = true;
        Assert.True(HostAdmission.Admit(s, Registration(endpoint: "192.0.2.2:5121"), T0.AddSeconds(8), registered: true));
        Assert.Equal(HostStatus.Draining, s.Status); // a reconnect does not undo a drain
    }

    [Fact]
    public void OnlyTheGatewaySessionTheHostRegisteredThroughLastReachesIt()
    {
        var link = new HostLink();
        Guid first = Guid.NewGuid(), second = Guid.NewGuid();
        var old = new RecordingConnection();
        var current = new RecordingConnection();
        Assert.False(link.IsStale(first)); // a fresh activation takes the first session it hears from
        link.Registered(first);
        link.Attach(old, first);

        link.Registered(second); // the host came back through another gateway session
        link.Assign(new MapOrder("prontera", 1, 100));
        Assert.Empty(old.Assigned);
        Assert.True(link.IsStale(first));
        Assert.False(link.IsStale(second));
        Assert.False(link.IsStale(Guid.Empty));

        link.Attach(current, second);
        link.Revoke(new MapRevocation("prontera", 1, RevocationReason.Drained));
        link.Close(ClusterError.HostBanned, "banned");
        link.Assign(new MapOrder("prontera", 2, 100));
        Assert.Single(current.Revoked);
        Assert.Equal([ClusterError.HostBanned], current.Closed);
        Assert.Empty(current.Assigned); // closed: nothing more goes through it
    }

    [Fact]
    public void TheDirectoryHearsOfAChangeAtOnceAndOtherwiseOncePerRefreshPeriod()
    {
        var view = new HostView(Id, TimeSpan.FromSeconds(2), new OverloadTracker(), new PlayerReports());
        Assert.True(view.Due(T0, force: false));
        Assert.False(view.Due(T0.AddSeconds(1), force: false));
        Assert.True(view.Due(T0.AddSeconds(1), force: true));
        Assert.False(view.Due(T0.AddSeconds(2.5), force: false));
        Assert.True(view.Due(T0.AddSeconds(3), force: false));
    }

    [Fact]
    public void AHostThatIsNotLiveLeavesTheDirectoryIdleAndAcceptingNothing()
    {
        var players = new PlayerReports();
        var view = new HostView(Id, TimeSpan.FromSeconds(2), new OverloadTracker(), players);
        var busy = new HostLoad(50, 40, 10, 3);
        view.Heard(new HostHeartbeat(busy, [new MapInstanceReport("prontera", 1, MapInstanceState.Running, 12)]));
        var s = new HostState { Status = HostStatus.Online, Endpoint = "192.0.2.1:5121", OnlineSince = T0 };
        s.Maps["prontera"] = 1;

        var (entry, listed) = view.Entry(s, isLive: true, T0.AddHours(1));
        Assert.True(listed);
        Assert.True(entry.Accepting);
        Assert.Equal(busy, entry.Load);
        Assert.Equal(12, view.Snapshot(s, isLive: true).MapPlayers!["prontera"]);

        players.Unreachable(1, T0, TimeSpan.FromSeconds(30), threshold: 1);
        Assert.False(view.Entry(s, isLive: true, T0).Entry.Accepting); // suspect: listed, takes no new map

        s.Status = HostStatus.Banned;
        (entry, listed) = view.Entry(s, isLive: false, T0);
        Assert.False(listed);
        Assert.Equal((HostLoad.Idle, false, HostStatus.Banned), (entry.Load, entry.Accepting, entry.Status));
        Assert.Null(view.Snapshot(s, isLive: false).MapPlayers);
    }
}
