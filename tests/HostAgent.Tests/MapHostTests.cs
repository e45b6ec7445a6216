using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using P2PCluster.Client;
using P2PCluster.HostAgent.Coordinator;
using P2PCluster.HostAgent.Maps;
using P2PCluster.Protocol;
using Xunit.Abstractions;

namespace P2PCluster.HostAgent.Tests;

/// <summary>Assignments, epochs and revokes applied to real instances, and the MAP_STATE changes they produce.</summary>
public sealed class MapHostTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly LogCollector _log = new(output);
    private readonly List<MapHost> _hosts = [];
    private readonly TestTickets _tickets = new();

    private MapHost Host(int maxMaps = 2, string command = "", ILeaseCheck? lease = null)
    {
        var (start, end) = TestPorts.Range(maxMaps + 1);
        var options = new MapsOptions { PortRangeStart = start, PortRangeEnd = end, BindAddress = "127.0.0.1", Command = command, RestartBackoffMs = 50 };
        var host = new MapHost(new MapInstanceFactory(options, _tickets.Admission(new FakeClaimer()) with { Lease = lease }, _log.Factory), new PortAllocator(IPAddress.Loopback, start, end), maxMaps, 100,
            _log.For<MapHost>());
        _hosts.Add(host);
        return host;
    }

    private static async Task<MapStatePacket> NextStateAsync(MapHost host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await host.States.ReadAsync(timeout.Token);
    }

    /// <summary>
    /// The lease watcher stops what <see cref="MapHost.Lapsed"/> names: an instance whose lease term ended (it ran out,
    /// even if granted again since), never one created under the new term — a watcher tick that came late once stopped
    /// a map assigned just after the renewal.
    /// </summary>
    [Fact]
    public async Task OnlyInstancesOfAnEndedLeaseTermAreLapsed()
    {
        var time = new FakeTimeProvider();
        var lease = new CoordinatorLease(TimeSpan.FromSeconds(2), time);
        lease.Registered(time.GetTimestamp());
        var host = Host(lease: lease);
        await host.AssignAsync(new AssignMapPacket("prontera", 1, 50), CancellationToken.None);
        Assert.Empty(host.Lapsed());

        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(["prontera"], host.Lapsed());
        lease.Registered(time.GetTimestamp()); // granted again: a new term
        Assert.Equal(TimeSpan.FromSeconds(1), lease.RanOutAgo);
        await host.AssignAsync(new AssignMapPacket("geffen", 2, 50), CancellationToken.None);
        Assert.Equal(["prontera"], host.Lapsed());

        await host.StopServingAsync(["prontera", "geffen"], "lease expired");
        Assert.Equal(["geffen"], host.Report().Select(r => r.Map));
        Assert.Contains("Map prontera stopped (epoch 1, lease expired)", _log.Text);
    }

    [Fact]
    public async Task AssignStartsAnInstanceReportedStartingThenRunning()
    {
        var host = Host();
        await host.AssignAsync(new AssignMapPacket("prontera", 1, 50), CancellationToken.None);

        Assert.Equal(new MapStatePacket("prontera", 1, MapRunState.Starting, 0), await NextStateAsync(host));
        var running = await NextStateAsync(host);
        Assert.Equal(("prontera", 1UL, MapRunState.Running), (running.Map, running.Epoch, running.State));
        Assert.Equal([new MapReport("prontera", 1, MapRunState.Running, 0)], host.Report());
        Assert.Contains($"Map prontera running on port {running.Port} (epoch 1)", _log.Text);

        var ticket = _tickets.Ticket("prontera", 1);
        await using var player = await MapConnection.EnterAsync(TestTickets.Route(running.Port, ticket, _tickets.Sign(ticket)), TimeSpan.FromSeconds(10));
        Assert.Equal(1, host.Report()[0].Players);
    }

    [Fact]
    public async Task NewerAssignmentMovesTheRunningInstanceToItsEpoch()
    {
        var host = Host();
        await host.AssignAsync(new AssignMapPacket("prontera", 1, 50), CancellationToken.None);
        await NextStateAsync(host);
        var first = await NextStateAsync(host);

        await host.AssignAsync(new AssignMapPacket("prontera", 3, 50), CancellationToken.None);
        Assert.Equal(first with { Epoch = 3 }, await NextStateAsync(host));
        await host.AssignAsync(new AssignMapPacket("prontera", 2, 50), CancellationToken.None); // older: ignored
        Assert.Equal([new MapReport("prontera", 3, MapRunState.Running, 0)], host.Report());
        Assert.False(host.States.TryRead(out _), "no state change for an ignored assignment");
    }

    [Fact]
    public async Task RevokeStopsTheInstanceOnlyForItsEpochOrANewerOne()
    {
        var host = Host();
        await host.AssignAsync(new AssignMapPacket("prontera", 3, 50), CancellationToken.None);
        await NextStateAsync(host);
        int port = (await NextStateAsync(host)).Port;

        host.Revoke(new RevokeMapPacket("prontera", 2, RevokeReason.Reassigned)); // older than what runs: ignored
        await host.WhenStoppedAsync();
        Assert.Single(host.Report());

        host.Revoke(new RevokeMapPacket("prontera", 3, RevokeReason.Rebalanced));
        Assert.Equal(new MapStatePacket("prontera", 3, MapRunState.Stopped, 0), await NextStateAsync(host));
        Assert.Empty(host.Report());
        Assert.Contains("Map prontera stopped (epoch 3, revoked: Rebalanced)", _log.Text);
        using var late = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(IPAddress.Loopback, port));
    }

    [Fact]
    public async Task RevokeOfAMapNotRunningIsAnsweredStopped()
    {
        var host = Host();
        host.Revoke(new RevokeMapPacket("geffen", 9, RevokeReason.StaleEpoch));
        Assert.Equal(new MapStatePacket("geffen", 9, MapRunState.Stopped, 0), await NextStateAsync(host));
    }

    [Fact]
    public async Task MoreMapsThanMaxMapsAreRefused()
    {
        var host = Host(maxMaps: 2);
        foreach (string map in new[] { "prontera", "geffen", "payon" })
            await host.AssignAsync(new AssignMapPacket(map, 1, 50), CancellationToken.None);
        var states = new List<MapStatePacket>();
        for (int i = 0; i < 5; i++) states.Add(await NextStateAsync(host));

        Assert.Contains(new MapStatePacket("payon", 1, MapRunState.Failed, 0), states);
        Assert.Equal(["geffen", "prontera"], host.Report().Select(r => r.Map));
        Assert.Contains("Map payon failed (epoch 1): node.max_maps = 2 maps run already", _log.Text);
        Assert.Equal(2, states.Select(s => s.Port).Where(p => p != 0).Distinct().Count());
    }

    [Fact]
    public async Task RevokedLongRunningCommandStopsWithinFiveSeconds()
    {
        var host = Host(command: "sleep 60");
        await host.AssignAsync(new AssignMapPacket("prontera", 4, 50), CancellationToken.None);
        await NextStateAsync(host);
        Assert.Equal(MapRunState.Running, (await NextStateAsync(host)).State);

        var watch = Stopwatch.StartNew();
        host.Revoke(new RevokeMapPacket("prontera", 4, RevokeReason.Reassigned));
        Assert.Equal(new MapStatePacket("prontera", 4, MapRunState.Stopped, 0), await NextStateAsync(host));
        output.WriteLine($"stopped after {watch.ElapsedMilliseconds} ms");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task CrashedCommandIsReportedStartingUntilItRunsAgain()
    {
        var host = Host(command: "/bin/sh -c 'sleep 0.2; exit 1'");
        await host.AssignAsync(new AssignMapPacket("prontera", 2, 50), CancellationToken.None);
        var states = new List<MapStatePacket>();
        for (int i = 0; i < 4; i++) states.Add(await NextStateAsync(host));
        Assert.Equal([MapRunState.Starting, MapRunState.Running, MapRunState.Starting, MapRunState.Running], states.Select(s => s.State));
        Assert.All(states, s => Assert.Equal(2UL, s.Epoch));
    }

    [Fact]
    public async Task StopAllStopsEveryInstanceAndRefusesLaterAssignments()
    {
        var host = Host();
        await host.AssignAsync(new AssignMapPacket("prontera", 1, 50), CancellationToken.None);
        await host.AssignAsync(new AssignMapPacket("geffen", 1, 50), CancellationToken.None);
        await host.StopAllAsync();
        Assert.Empty(host.Report());
        await host.AssignAsync(new AssignMapPacket("payon", 1, 50), CancellationToken.None);
        var states = new List<MapStatePacket>();
        while (host.States.TryRead(out var state)) states.Add(state);
        Assert.Equal(2, states.Count(s => s.State == MapRunState.Stopped));
        Assert.Equal(new MapStatePacket("payon", 1, MapRunState.Failed, 0), states[^1]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.StopAllAsync();
        _tickets.Dispose();
    }
}
