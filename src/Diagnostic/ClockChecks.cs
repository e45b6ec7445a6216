using System.Diagnostics;
using MySqlConnector;
using P2PCluster.Hosting;

namespace P2PCluster.Diagnostic;

/// <summary>
/// Clock skew: this machine against the database (<c>SELECT UTC_TIMESTAMP(3)</c>, to within half the round trip) and
/// the admin API's silo (its Date header, to the second); each active silo against the database, from the I-am-alive
/// times it writes to the membership table with its own clock (bounded by the publish period).
/// </summary>
public sealed class ClockChecks(CheckRun run)
{
    private const string Area = "network";
    private static readonly TimeSpan Warning = TimeSpan.FromSeconds(1), Critical = TimeSpan.FromSeconds(5);

    private CoordinatorSettings Settings => run.Arguments.Settings;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await run.WithApiAsync(Area, "clock_skew_api", async () =>
        {
            var (server, roundTrip, local) = await run.Api.ClockAsync(cancellationToken);
            if (server is null) { run.Add(Finding.Ok(Area, "clock_skew_api", "the admin API sent no Date header: not measured")); return; }
            // The Date header is truncated to the second: up to a second of the difference is its resolution.
            var skew = server.Value - local;
            var beyond = skew.Duration() - TimeSpan.FromSeconds(1) - roundTrip / 2;
            run.Add(Judge("clock_skew_api", beyond, $"the admin API's silo is {Format(skew)} from this machine (its Date header, ±1 s)"));
        });
        if (Settings.Database.IsEmbedded)
        {
            run.Add(Finding.Ok(Area, "clock_skew_database", "embedded default: no database, one silo"));
            return;
        }
        try
        {
            await using var connection = await Hosting.Database.OpenAsync(Settings.Database, cancellationToken);
            var watch = Stopwatch.StartNew();
            var before = DateTimeOffset.UtcNow;
            var database = await ScalarTimeAsync(connection, "SELECT UTC_TIMESTAMP(3)", cancellationToken);
            var roundTrip = watch.Elapsed;
            var skew = database - (before + roundTrip / 2);
            run.Add(Judge("clock_skew_database", skew.Duration() - roundTrip / 2,
                $"the database is {Format(skew)} from this machine (round trip {roundTrip.TotalMilliseconds:0} ms)"));
            await SilosAsync(connection, cancellationToken);
        }
        catch (DatabaseException e)
        {
            run.Add(new Finding(Area, "clock_skew_database", Severity.Critical, e.Message, "Check database.connection_string and that MariaDB is up."));
        }
        catch (MySqlException e)
        {
            run.Add(new Finding(Area, "clock_skew_database", Severity.Warning, $"could not read the time: {e.Message}", "Check the database user's grants."));
        }
    }

    private async Task SilosAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT SiloName, Address, Port, IAmAliveTime, UTC_TIMESTAMP(3) FROM OrleansMembershipTable WHERE DeploymentId = @cluster AND Status = 3";
        command.Parameters.AddWithValue("@cluster", Settings.Cluster.ClusterId);
        var period = TimeSpan.FromMilliseconds(Settings.Cluster.IAmAlivePublishTimeoutMs);
        var ahead = new List<string>();
        var behind = new List<string>();
        int silos = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            silos++;
            string silo = $"{reader.GetString(0)} ({reader.GetString(1)}:{reader.GetInt32(2)})";
            var alive = DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc);
            var now = DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc);
            // A silo writes its own clock every publish period: in the future it is ahead by at least that much; older
            // than a period it is behind (or not publishing) by at least the rest.
            if (alive - now > Warning) ahead.Add($"{silo} ahead by at least {Format(alive - now)}");
            else if (now - alive - period > Warning) behind.Add($"{silo} behind (or not writing) by at least {Format(now - alive - period)}");
        }
        if (ahead.Count == 0 && behind.Count == 0)
            run.Add(Finding.Ok(Area, "clock_skew_silos", $"{silos} active silo(s) of cluster '{Settings.Cluster.ClusterId}' agree with the database within {(period + Warning).TotalMilliseconds:0} ms (the I-am-alive period and 1 s)"));
        else
            run.Add(new Finding(Area, "clock_skew_silos", Severity.Warning, string.Join("; ", ahead.Concat(behind)),
                "Run NTP (chrony, systemd-timesyncd) on every silo and on the database server: tickets, leases and alerts compare times."));
    }

    private static async Task<DateTimeOffset> ScalarTimeAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = (DateTime)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc));
    }

    private static Finding Judge(string check, TimeSpan beyondUncertainty, string evidence) =>
        beyondUncertainty > Critical ? new Finding(Area, check, Severity.Critical, evidence, "Run NTP (chrony, systemd-timesyncd): tickets and leases compare clocks.")
        : beyondUncertainty > Warning ? new Finding(Area, check, Severity.Warning, evidence, "Run NTP (chrony, systemd-timesyncd) on both machines.")
        : Finding.Ok(Area, check, evidence);

    private static string Format(TimeSpan skew) =>
        $"{(skew < TimeSpan.Zero ? "-" : "+")}{skew.Duration().TotalMilliseconds:0} ms";
}
