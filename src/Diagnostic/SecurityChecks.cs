using System.Net;
using MySqlConnector;
using P2PCluster.Hosting;

namespace P2PCluster.Diagnostic;

/// <summary><c>--security</c>: key files and age, encryption, approval, the admin API's transport, database grants, refused writes, banned hosts.</summary>
public sealed class SecurityChecks(CheckRun run)
{
    private const string Area = "security";
    private CoordinatorSettings Settings => run.Arguments.Settings;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string keyFile = CoordinatorKeyFile();
        run.Add(FilePermissions.Secret(Area, "coordinator_key_file", "the coordinator's private key", keyFile));
        await KeyAgeAsync(keyFile, cancellationToken);
        if (!string.IsNullOrWhiteSpace(Settings.Admin.KeysFile))
            run.Add(FilePermissions.Hashes(Area, "admin_keys_file", "admin.keys_file", Settings.Admin.KeysFile));
        string developmentKey = Path.Combine(Settings.Security.DataDir, "admin_api.key");
        if (Settings.Database.IsEmbedded && File.Exists(developmentKey))
            run.Add(FilePermissions.Secret(Area, "admin_development_key", "the development admin key", developmentKey));
        run.Add(Encryption());
        run.Add(Approval());
        run.Add(AdminTransport());
        run.Add(await GrantsAsync(cancellationToken));
        await run.WithApiAsync(Area, "refused_writes", () => RefusedWritesAsync(cancellationToken));
        await run.WithApiAsync(Area, "banned_hosts", () => BannedHostsAsync(cancellationToken));
    }

    /// <summary>security.coordinator_key_file, or the development key the embedded default writes under data_dir.</summary>
    private string CoordinatorKeyFile() =>
        string.IsNullOrWhiteSpace(Settings.Security.CoordinatorKeyFile)
            ? Path.Combine(Settings.Security.DataDir, "coordinator_ed25519.pem")
            : Settings.Security.CoordinatorKeyFile;

    private async Task KeyAgeAsync(string keyFile, CancellationToken cancellationToken)
    {
        int max = run.Arguments.MaxKeyAgeDays;
        DateTimeOffset? created = null;
        string source = "";
        // The key set (GET /keys) knows when the active key was made; without it (no such route, API down: the API's
        // own checks say so) the file's modification time stands in.
        try
        {
            var keys = await run.Api.GetAsync("keys", cancellationToken);
            // The key set as a bare array or as {"items": [...]}, like the API's other lists.
            var list = keys as System.Text.Json.Nodes.JsonArray ?? keys?["items"] as System.Text.Json.Nodes.JsonArray;
            var active = list?.FirstOrDefault(k => k?["state"]?.GetValue<string>() == "active");
            if (active?["createdAt"]?.GetValue<DateTimeOffset>() is { } at)
            {
                created = at;
                source = $"active key {active["keyId"]?.GetValue<string>()} (GET /api/v1/keys)";
            }
        }
        catch (DiagnosticException e) when (e.ExitCode is ExitCodes.Unreachable or ExitCodes.Refused or ExitCodes.Failed)
        {
        }
        if (created is null)
        {
            string full = Path.GetFullPath(keyFile);
            if (!File.Exists(full)) return; // already critical above
            created = File.GetLastWriteTimeUtc(full);
            source = $"'{full}' (last written)";
        }
        double days = (DateTimeOffset.UtcNow - created.Value).TotalDays;
        string evidence = $"{source} is {days:0} day(s) old; the rotation policy is {max} days (--max-key-age-days)";
        run.Add(days > 2 * max ? new Finding(Area, "key_age", Severity.Critical, evidence, "Rotate the coordinator key now: p2p-keygen --rotate.")
            : days > max ? new Finding(Area, "key_age", Severity.Warning, evidence, "Rotate the coordinator key: p2p-keygen --rotate.")
            : Finding.Ok(Area, "key_age", evidence));
    }

    private Finding Encryption() => Settings.Security.EncryptionEnabled
        ? Finding.Ok(Area, "encryption", "security.encryption_enabled is true")
        : new Finding(Area, "encryption", Severity.Critical, "security.encryption_enabled is false: frames between hosts, players and the gateway travel in plain text",
            "Set security.encryption_enabled: true (false is for development only) and restart the silos.");

    private Finding Approval()
    {
        string bind = Settings.Coordinator.BindAddress;
        bool local = IPAddress.TryParse(bind, out var address) && IPAddress.IsLoopback(address);
        if (Settings.Distribution.RequireApproval) return Finding.Ok(Area, "approval", "distribution.require_approval is true");
        return local
            ? Finding.Ok(Area, "approval", $"distribution.require_approval is false, but the gateway listens on loopback ({bind}) only")
            : new Finding(Area, "approval", Severity.Warning,
                $"distribution.require_approval is false and the gateway listens on {bind}: any PC that reaches it may host maps",
                "Set distribution.require_approval: true and approve hosts (p2p-control host approve ID, or POST /api/v1/hosts/ID/approve).");
    }

    private Finding AdminTransport()
    {
        var plain = new List<string>();
        foreach (string url in Settings.Http.UrlList)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri) || uri.Scheme != "http") continue;
            bool loopback = uri.Host == "localhost" || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback) plain.Add(url);
        }
        if (Settings.Http.UrlList.Count == 0) return Finding.Ok(Area, "admin_transport", "http.urls is empty: no admin API");
        return plain.Count == 0
            ? Finding.Ok(Area, "admin_transport", $"the admin API is on https or loopback only ({Settings.Http.Urls})")
            : new Finding(Area, "admin_transport", Severity.Critical,
                $"the admin API is served over plain HTTP on {string.Join(", ", plain)}: keys cross the network readable" +
                (Settings.Admin.AllowInsecureHttp ? " (admin.allow_insecure_http: true)" : ""),
                "Serve https:// with http.certificate_path, or listen on 127.0.0.1 behind a TLS proxy; set admin.allow_insecure_http: false.");
    }

    private async Task<Finding> GrantsAsync(CancellationToken cancellationToken)
    {
        if (Settings.Database.IsEmbedded) return Finding.Ok(Area, "database_grants", "embedded default: no database user");
        var allowed = new List<Grant>();
        foreach (string file in new[] { "grants.sql", "grants_rathena.sql" })
        {
            string path = Path.Combine(AppContext.BaseDirectory, "sql", file);
            if (!File.Exists(path)) path = Path.Combine("sql", file);
            if (!File.Exists(path)) return new Finding(Area, "database_grants", Severity.Warning, $"sql/{file} not found beside the program or here: nothing to compare with", "Run from the repository or a full install.");
            allowed.AddRange(Grant.ParseFile(await File.ReadAllTextAsync(path, cancellationToken)));
        }
        try
        {
            await using var connection = await Hosting.Database.OpenAsync(Settings.Database, cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SHOW GRANTS FOR CURRENT_USER()";
            var held = new List<Grant>();
            var statements = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken)) statements.Add(reader.GetString(0));
            foreach (string statement in statements) held.AddRange(Grant.Parse(statement));
            var excess = GrantComparison.Excess(held, allowed, connection.Database);
            string user = Hosting.Database.Describe(Settings.Database);
            return excess.Count == 0
                ? Finding.Ok(Area, "database_grants", $"{user}: {statements.Count} GRANT statement(s), nothing beyond sql/grants.sql and sql/grants_rathena.sql")
                : new Finding(Area, "database_grants", Severity.Critical, $"{user} holds more than it needs: {string.Join("; ", excess)}",
                    "Give the coordinator its own user with exactly sql/grants.sql (and sql/grants_rathena.sql), e.g. REVOKE ALL PRIVILEGES, GRANT OPTION FROM the user, then apply those files.");
        }
        catch (DatabaseException e)
        {
            return new Finding(Area, "database_grants", Severity.Critical, e.Message, "Check database.connection_string and that MariaDB is up.");
        }
        catch (MySqlException e)
        {
            return new Finding(Area, "database_grants", Severity.Critical, $"SHOW GRANTS failed: {e.Message}", "Check the database user.");
        }
    }

    private async Task RefusedWritesAsync(CancellationToken cancellationToken)
    {
        var alerts = await run.Api.GetAsync("alerts?state=active", cancellationToken);
        var refused = alerts?["items"]?.AsArray().Where(a => a?["rule"]?.GetValue<string>() == "host_refused_writes").ToList() ?? [];
        if (refused.Count == 0)
        {
            run.Add(Finding.Ok(Area, "refused_writes", "no host_refused_writes alert is active"));
            return;
        }
        foreach (var alert in refused)
            run.Add(new Finding(Area, "refused_writes", Severity.Warning, alert!["summary"]?.GetValue<string>() ?? "host_refused_writes active",
                $"A broken or cheating host: read p2p_db_audit for {alert["subject"]?.GetValue<string>()} and consider banning it (p2p-control host ban ID)."));
    }

    private async Task BannedHostsAsync(CancellationToken cancellationToken)
    {
        var banned = await run.HostsAsync("banned", cancellationToken);
        var connected = new List<string>();
        foreach (var host in banned)
        {
            string id = host["hostId"]!.GetValue<string>();
            var detail = await run.Api.GetAsync($"hosts/{Uri.EscapeDataString(id)}", cancellationToken);
            // A ban closes the host's session and moves its maps: a banned host online again, or still holding maps, got past it.
            if (detail?["onlineSince"] is { } since && since.GetValueKind() != System.Text.Json.JsonValueKind.Null)
                connected.Add($"{id} (online since {since.GetValue<string>()})");
            else if (detail?["mapEpochs"]?.AsObject() is { Count: > 0 } maps)
                connected.Add($"{id} (still assigned {string.Join(", ", maps.Select(m => m.Key))})");
        }
        run.Add(connected.Count == 0
            ? Finding.Ok(Area, "banned_hosts", $"{banned.Count} banned host(s), none connected")
            : new Finding(Area, "banned_hosts", Severity.Critical, $"banned host(s) still connected or holding maps: {string.Join(", ", connected)}",
                "Ban again (p2p-control host ban ID) and check that the silo holding the host closed its connection; file a bug with the silo logs."));
    }
}
