using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;
using P2PCluster.TestSupport;

namespace P2PCluster.Grains.Tests;

/// <summary>
/// A host grain's directory entry as <see cref="HostView.PublishAsync"/> sends it to the real host directory grain:
/// listed while live, sent again only when due or forced, and marked as left (still visible to operators) once not live.
/// </summary>
[Collection(InMemoryCluster.Name)]
public sealed class HostViewPublishTests(InMemoryClusterFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private readonly string _id = "hvp" + Guid.NewGuid().ToString("N")[..8];

    private IHostDirectoryGrain Directory => fixture.Cluster.GrainFactory.GetGrain<IHostDirectoryGrain>(0);

    private async Task<bool> ListedAsync() => (await Directory.ListAsync()).Any(c => c.HostId == _id);

    [Fact]
    public async Task ALiveHostIsListedRefreshedWhenDueAndMarkedLeftOnceItIsNotLive()
    {
        var view = new HostView(_id, TimeSpan.FromSeconds(2), new OverloadTracker(), new PlayerReports());
        // Draining: listed, but accepting no map, so no other test's placement can pick it.
        var s = new HostState { Status = HostStatus.Draining, Endpoint = "192.0.2.1:5121", OnlineSince = T0, Approved = true };

        await view.PublishAsync(Directory, s, isLive: true, T0, force: false);
        Assert.True(await ListedAsync());

        s.Status = HostStatus.Offline;
        await view.PublishAsync(Directory, s, isLive: false, T0.AddSeconds(1), force: false); // not due: nothing sent
        Assert.True(await ListedAsync());

        await view.PublishAsync(Directory, s, isLive: false, T0.AddSeconds(1), force: true);
        Assert.False(await ListedAsync());
        var left = await Directory.FindAsync(_id);
        Assert.NotNull(left);
        Assert.Equal(HostStatus.Offline, left.Status);
    }

    [Fact]
    public async Task ALoadRefreshOfAListedHostIsNotWaitedForAndAChangeIsSentOnlyAfterIt()
    {
        var directory = new HeldDirectory();
        var view = new HostView(_id, TimeSpan.FromSeconds(2), new OverloadTracker(), new PlayerReports());
        var s = new HostState { Status = HostStatus.Online, Endpoint = "192.0.2.1:5121", OnlineSince = T0, Approved = true };

        var registered = view.PublishAsync(directory, s, isLive: true, T0, force: true);
        Assert.False(registered.IsCompleted); // a change is waited for
        directory.Answer(0);
        await registered;

        var refresh = view.PublishAsync(directory, s, isLive: true, T0.AddSeconds(2), force: false);
        Assert.True(refresh.IsCompletedSuccessfully); // the heartbeat does not wait for the directory
        Assert.Equal(2, directory.Calls.Count);
        await view.PublishAsync(directory, s, isLive: true, T0.AddSeconds(4), force: false);
        Assert.Equal(2, directory.Calls.Count); // one refresh in flight at a time

        s.Status = HostStatus.Draining;
        var drained = view.PublishAsync(directory, s, isLive: true, T0.AddSeconds(5), force: true);
        Assert.Equal(2, directory.Calls.Count); // not before the refresh sent earlier is answered: it cannot overtake the change
        directory.Answer(1);
        await Eventually.TrueAsync(() => directory.Calls.Count == 3, "the change sent once the refresh was answered");
        Assert.Equal(HostStatus.Draining, directory.Calls[2].Entry.Status);
        directory.Answer(2);
        await drained;

        await view.PublishAsync(directory, s, isLive: true, T0.AddSeconds(8), force: false);
        directory.Fail(3, new TimeoutException("directory re-activating")); // dropped: nobody waits for a refresh
        s.Status = HostStatus.Offline;
        var left = view.PublishAsync(directory, s, isLive: false, T0.AddSeconds(9), force: true);
        await Eventually.TrueAsync(() => directory.Calls.Count == 5, "the change sent after the failed refresh");
        Assert.Equal(("left", HostStatus.Offline), (directory.Calls[4].Kind, directory.Calls[4].Entry.Status));
        directory.Answer(4);
        await left;
    }

    /// <summary>A host directory whose upserts and leaves are answered only when the test says.</summary>
    private sealed class HeldDirectory : IHostDirectoryGrain
    {
        public List<(string Kind, HostCandidate Entry, TaskCompletionSource Answer)> Calls { get; } = [];

        public void Answer(int call) => Calls[call].Answer.SetResult();

        public void Fail(int call, Exception e) => Calls[call].Answer.SetException(e);

        public Task UpsertAsync(HostCandidate candidate) => Held("upsert", candidate);

        public Task LeftAsync(HostCandidate host) => Held("left", host);

        private Task Held(string kind, HostCandidate entry)
        {
            var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Calls.Add((kind, entry, answer));
            return answer.Task;
        }

        public Task RemoveAsync(string hostId) => throw new NotSupportedException();
        public Task<PlacementDecision?> PlaceAsync(string map, MapPolicy policy, string? excludeHost, string reason) => throw new NotSupportedException();
        public Task<IReadOnlyList<HostCandidate>> ListAsync() => throw new NotSupportedException();
        public Task<Orleans.Concurrency.Immutable<HostSummary[]>> ViewAsync() => throw new NotSupportedException();
        public Task<HostSummary?> FindAsync(string hostId) => throw new NotSupportedException();
        public Task<PlacementDecision> PlaceOnAsync(string map, MapPolicy policy, string hostId, string? fromHost, string reason) => throw new NotSupportedException();
        public Task<PlacementDecision?> ReplaceAsync(string map, MapPolicy policy, string fromHost, bool mayStay, string reason) => throw new NotSupportedException();
        public Task SetP2PPausedAsync(bool paused) => throw new NotSupportedException();
        public Task RecordAsync(PlacementRecord record) => throw new NotSupportedException();
        public Task<IReadOnlyList<PlacementRecord>> RecentAsync(string hostId, int limit) => throw new NotSupportedException();
    }
}
