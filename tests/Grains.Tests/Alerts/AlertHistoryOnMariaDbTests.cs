using MySqlConnector;
using P2PCluster.Grains.Alerts;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests.Alerts;

/// <summary>The alert history in p2p_alerts, and evaluation, across silo restarts and a silo's death.</summary>
[Collection(AlertMariaDbCluster.Name)]
public sealed class AlertHistoryOnMariaDbTests(AlertMariaDbFixture fixture)
{
    private IAlertGrain Grain => fixture.Cluster.GrainFactory.GetGrain<IAlertGrain>(0);

    [Fact]
    public async Task HistoryAndFiringAlertsSurviveRestartingEverySilo()
    {
        var snapshots = fixture.Snapshots;
        snapshots.Current = Breaches.Of(AlertRuleNames.MapUnassigned, "mapA", DateTimeOffset.UtcNow);
        var a = await UntilAsync(async () => (await Grain.GetActiveAsync()).SingleOrDefault(x => x.Subject == "mapA" && x.State == AlertState.Firing), "mapA firing");

        // mapA gets a host (its alert resolves) while mapB loses its own (a new alert fires).
        snapshots.Current = Breaches.Of(AlertRuleNames.MapUnassigned, "mapB", DateTimeOffset.UtcNow);
        var b = await UntilAsync(async () => (await Grain.GetActiveAsync()).SingleOrDefault(x => x.Subject == "mapB" && x.State == AlertState.Firing), "mapB firing");
        await UntilAsync(async () => (await RowsAsync()).Any(r => r.Id == a.Id && r.State == AlertState.Resolved) && (await RowsAsync()).Any(r => r.Id == b.Id) ? true : (bool?)null,
            "both alerts written to p2p_alerts");

        var silos = fixture.Cluster.Silos.ToList();
        foreach (var silo in silos) await fixture.Cluster.StopSiloAsync(silo);
        await fixture.Cluster.StartAdditionalSilosAsync(silos.Count);
        await fixture.Cluster.KillClientAsync();
        await fixture.Cluster.InitializeClientAsync();

        // The new activation took mapB's alert back from p2p_alerts: still firing, same id, not fired again.
        var restored = await UntilAsync(async () => (await Grain.GetActiveAsync()).SingleOrDefault(x => x.Subject == "mapB"), "mapB restored");
        Assert.Equal(b.Id, restored.Id);
        Assert.Equal(AlertState.Firing, restored.State);
        Assert.Equal(b.FiredAt, restored.FiredAt);
        var history = await Grain.GetHistoryAsync(100);
        var resolvedA = Assert.Single(history, x => x.Id == a.Id);
        Assert.Equal(AlertState.Resolved, resolvedA.State);
        Assert.Equal(a.FiredAt, resolvedA.FiredAt);
        Assert.Equal(a.Value, resolvedA.Value);
        Assert.NotNull(resolvedA.EndedAt);

        snapshots.Current = ScriptedSnapshots.Healthy(DateTimeOffset.UtcNow);
        await UntilAsync(async () => (await RowsAsync()).Any(r => r.Id == b.Id && r.State == AlertState.Resolved) ? true : (bool?)null, "mapB resolved in p2p_alerts");
        Assert.Single(await RowsAsync(), r => r.Subject == "mapB");
    }

    [Fact]
    public async Task EvaluationMovesToASurvivingSiloWhenItsSiloIsKilled()
    {
        var snapshots = fixture.Snapshots;
        await snapshots.WaitForMoreAsync(2);
        string host = snapshots.Calls[^1].Silo;
        var handle = fixture.Cluster.Silos.Single(s => s.Name == host);
        var killedAt = DateTime.UtcNow;
        await fixture.Cluster.KillSiloAsync(handle);
        try
        {
            // Nobody calls the grain: only its reminder can bring it back on the other silo.
            await snapshots.WaitForAsync(3, c => c.At > killedAt && c.Silo != host, "on a surviving silo", TimeSpan.FromSeconds(90));
        }
        finally
        {
            await fixture.Cluster.StartAdditionalSilosAsync(1);
        }
    }

    [Fact]
    public async Task HistoryWritesTheDatabaseRefusesAreKeptAndMadeOnceItAcceptsThemAgain()
    {
        var snapshots = fixture.Snapshots;
        string user = new MySqlConnectionStringBuilder(fixture.ConnectionString).UserID;
        // Only p2p_alerts is taken away: membership and reminders go on, every history write fails as with the database down.
        await AdminAsync($"REVOKE SELECT, INSERT, UPDATE, DELETE ON p2p_alerts FROM '{user}'@'127.0.0.1'");
        Alert fired;
        try
        {
            snapshots.Current = Breaches.Of(AlertRuleNames.HostChurn, "", DateTimeOffset.UtcNow);
            fired = await UntilAsync(async () => (await Grain.GetActiveAsync()).SingleOrDefault(x => x.Rule == AlertRuleNames.HostChurn && x.State == AlertState.Firing),
                "host_churn firing while the history cannot be written");
            snapshots.Current = ScriptedSnapshots.Healthy(DateTimeOffset.UtcNow);
            await UntilAsync(async () => (await Grain.GetActiveAsync()).Any(x => x.Id == fired.Id) ? null : (bool?)true, "host_churn resolved");
            await snapshots.WaitForMoreAsync(3);
            Assert.Equal(0L, await AdminScalarAsync($"SELECT COUNT(*) FROM p2p_alerts WHERE id = '{fired.Id}'"));
        }
        finally
        {
            await AdminAsync($"GRANT SELECT, INSERT, UPDATE, DELETE ON p2p_alerts TO '{user}'@'127.0.0.1'");
        }
        await UntilAsync(async () => await AdminScalarAsync($"SELECT COUNT(*) FROM p2p_alerts WHERE id = '{fired.Id}' AND state = 'resolved' AND fired_at IS NOT NULL") == 1 ? true : (bool?)null,
            "the kept write made once the database accepts it");
    }

    [Fact]
    public async Task PurgeDeletesOnlyAlertsResolvedBeforeTheRetention()
    {
        var history = new MariaDbAlertHistory(fixture.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        string prefix = Guid.NewGuid().ToString("N")[..8];
        Alert Make(string name, DateTimeOffset at, bool resolved) => new(prefix + name.PadRight(24, '0'), AlertRuleNames.HostChurn, prefix + name,
            resolved ? AlertState.Resolved : AlertState.Firing, 9, 5, at, at, resolved ? at : null, "9 failovers");
        await history.SaveAsync(Make("old", now.AddDays(-31), true), default);
        await history.SaveAsync(Make("recent", now.AddDays(-29), true), default);
        await history.SaveAsync(Make("firing", now.AddDays(-60), false), default);

        Assert.Equal(1, await history.PurgeAsync(now.AddDays(-30), default));
        var left = (await RowsAsync()).Where(r => r.Subject.StartsWith(prefix)).Select(r => r.Subject[prefix.Length..]).Order();
        Assert.Equal(["firing", "recent"], left);
    }

    private async Task AdminAsync(string sql)
    {
        await using var connection = new MySqlConnection(fixture.AdminConnectionString);
        await connection.OpenAsync();
        await TestSupport.MariaDbServer.ExecuteAsync(connection, sql);
    }

    private async Task<long> AdminScalarAsync(string sql)
    {
        await using var connection = new MySqlConnection(fixture.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private async Task<IReadOnlyList<Alert>> RowsAsync() => await new MariaDbAlertHistory(fixture.ConnectionString).LoadRecentAsync(1000, default);

    /// <summary>Evaluates <paramref name="probe"/> after each evaluation of the rules until it yields a value (bounded).</summary>
    private async Task<T> UntilAsync<T>(Func<Task<T?>> probe, string what)
    {
        for (int i = 0; i < 150; i++)
        {
            try
            {
                if (await probe() is { } found) return found;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or MySqlException)
            {
                // A silo or the client is still joining.
            }
            await fixture.Snapshots.WaitForMoreAsync(1);
        }
        throw new TimeoutException($"{what}: not seen within 150 evaluations");
    }
}
