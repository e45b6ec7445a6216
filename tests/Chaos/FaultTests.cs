using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Chaos;

/// <summary>
/// Issue 11's faults, one test each, against the one chaos cluster (<see cref="ChaosCluster"/>), each with the bound
/// within which every player must play again once the fault is over. <see cref="FaultRun"/> checks the rest: no
/// acknowledged save lost, no map served twice, sessions, online flags, policies and epochs. Results:
/// docs/reliability.md.
/// </summary>
[Collection(ChaosCollection.Name)]
[TestCaseOrderer(FaultOrderer.Name, FaultOrderer.Assembly)]
public sealed partial class FaultTests(ChaosCluster cluster, ITestOutputHelper output)
{
    [Fault(Order = 1, NeedsNamespace = true)]
    public async Task PartitionedHostLosesItsMapAndEveryPlayerPlaysAgainAfterHealing()
    {
        var victim = cluster.Agents.Single(a => a.InNamespace);
        await Run($"host agent partitioned {ChaosDurations.Partition.TotalSeconds:F1} s (netns, iptables DROP)", TimeSpan.FromSeconds(15), victim).RunAsync(async () =>
        {
            await RequireMapsAsync(victim);
            await cluster.Network!.PartitionAsync();
            try
            {
                await Task.Delay(ChaosDurations.Partition); // the fault lasts this long: no signal ends it sooner
            }
            finally
            {
                await cluster.Network.HealAsync();
            }
        });
    }

    [Fault(Order = 2)]
    public async Task FrozenHostLosesItsMapAndEveryPlayerPlaysAgain()
    {
        var victim = await HostWithMapAsync();
        await Run($"host agent SIGSTOP {ChaosDurations.AgentFrozen.TotalSeconds:F0} s, SIGCONT", TimeSpan.FromSeconds(15), victim).RunAsync(async () =>
        {
            victim.Freeze();
            try
            {
                await Task.Delay(ChaosDurations.AgentFrozen); // the fault lasts this long: a real process stays frozen
            }
            finally
            {
                victim.Thaw();
            }
        });
    }

    [Fault(Order = 3)]
    public async Task KilledHostsMapMovesAndEveryPlayerPlaysAgain()
    {
        var victim = await HostWithMapAsync();
        await Run("host agent kill -9", TimeSpan.FromSeconds(15), victim).RunAsync(() =>
        {
            victim.Kill();
            return Task.CompletedTask;
        });
    }

    [Fault(Order = 7)]
    public async Task FrozenSiloIsEvictedAndEveryPlayerPlaysAgain()
    {
        var silo = cluster.SiloA;
        // Eviction takes ~6 s (docs/operations.md); then the other silo serves everyone: no player waits for the thaw.
        // 15 s: a player whose host's agent is connected to the frozen silo waits for that agent, which stops serving when
        // its lease runs out and moves to the other silo after its 10 s coordinator-silence timeout; then up to 5 s to
        // reconnect, run its maps again and let the players re-enter. Players on other hosts wait only for the ~6 s
        // eviction plus their 5 s request timeout at the frozen silo.
        await new FaultRun(cluster, output, $"silo SIGSTOP {ChaosDurations.SiloFrozen.TotalSeconds:F0} s, SIGCONT", TimeSpan.FromSeconds(30))
        {
            MaxGap = TimeSpan.FromSeconds(15),
        }.RunAsync(async () =>
        {
            silo.Process!.Signal(Posix.SigStop);
            try
            {
                await Task.Delay(ChaosDurations.SiloFrozen); // the fault lasts this long: a real process stays frozen
            }
            finally
            {
                silo.Process.Signal(Posix.SigCont);
            }
        });
    }

    [Fault(Order = 8)]
    public async Task KilledSiloCostsNoHealthyHostItsMapsAndEveryPlayerPlaysAgain()
    {
        var silo = cluster.SiloB;
        await Run("silo kill -9", TimeSpan.FromSeconds(30)).RunAsync(() =>
        {
            silo.Process!.Kill();
            return Task.CompletedTask;
        });
    }

    [Fault(Order = 4)]
    public async Task DatabaseStoppedAndStartedLosesNoAcknowledgedSave() =>
        await Run($"MariaDB SIGTERM, down {ChaosDurations.DatabaseDown.TotalSeconds:F0} s, restart", TimeSpan.FromSeconds(30)).RunAsync(async () =>
        {
            await cluster.Database.StopAsync(Posix.SigTerm);
            await Task.Delay(ChaosDurations.DatabaseDown); // an outage, not a blink
            await cluster.Database.RestartAsync();
        });

    [Fault(Order = 5)]
    public async Task DatabaseKilledAndStartedLosesNoAcknowledgedSave() =>
        await Run($"MariaDB kill -9, down {ChaosDurations.DatabaseDown.TotalSeconds:F0} s, restart", TimeSpan.FromSeconds(30)).RunAsync(async () =>
        {
            await cluster.Database.StopAsync(Posix.SigKill);
            await Task.Delay(ChaosDurations.DatabaseDown); // an outage, not a blink
            await cluster.Database.RestartAsync();
        });

    [Fault(Order = 6)]
    public async Task BlockedDatabaseWritesLoseNoAcknowledgedSave() =>
        await Run($"MariaDB writes blocked (FLUSH TABLES WITH READ LOCK) {ChaosDurations.WritesBlocked.TotalSeconds:F0} s", TimeSpan.FromSeconds(30)).RunAsync(async () =>
        {
            await using var block = await cluster.Database.BlockWritesAsync();
            await Task.Delay(ChaosDurations.WritesBlocked); // the fault lasts this long: no signal ends it sooner
        });

    private FaultRun Run(string fault, TimeSpan bound, ChaosAgent? victim = null) => new(cluster, output, fault, bound) { Victim = victim };

    /// <summary>A P2P host outside the namespace running a map now (restored cluster: every map runs).</summary>
    private async Task<ChaosAgent> HostWithMapAsync()
    {
        await cluster.RestoreAsync();
        var maps = await cluster.MapsAsync();
        var hosts = maps.Values.Select(m => m.Assignment?.HostId).ToHashSet();
        return cluster.Agents.FirstOrDefault(a => a is { Kind: "p2p", InNamespace: false } && hosts.Contains(a.HostId))
            ?? cluster.Agents.First(a => hosts.Contains(a.HostId) && !a.InNamespace);
    }

    private async Task RequireMapsAsync(ChaosAgent victim)
    {
        var maps = await cluster.MapsAsync();
        Assert.True(maps.Values.Any(m => m.Assignment?.HostId == victim.HostId),
            $"the namespaced host {victim.HostId} runs no map, so its partition would test nothing: {string.Join("; ", maps.Values)}");
    }
}
