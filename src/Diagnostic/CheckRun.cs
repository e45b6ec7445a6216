namespace P2PCluster.Diagnostic;

/// <summary>What every area's checks share: the arguments, the admin API, the report.</summary>
public sealed class CheckRun(DiagnosticArguments arguments, AdminApi api, Report report)
{
    public DiagnosticArguments Arguments => arguments;
    public AdminApi Api => api;

    public void Add(Finding finding) => report.Add(finding);

    /// <summary>
    /// Runs a check that needs the admin API. When the API cannot be reached (or refuses the key) the check is reported
    /// critical with the reason, the run goes on with the checks that do not need it, and it ends with that exit code.
    /// </summary>
    public async Task WithApiAsync(string area, string check, Func<Task> body)
    {
        if (report.ApiFailure is { } earlier)
        {
            report.Add(new Finding(area, check, Severity.Critical, $"not checked: {earlier.Message}", "Make the admin API reachable (--api-url, --api-key-file) and run again."));
            return;
        }
        try
        {
            await body();
        }
        catch (DiagnosticException e) when (e.ExitCode is ExitCodes.Unreachable or ExitCodes.Refused)
        {
            report.ApiFailure = e;
            report.Add(new Finding(area, check, Severity.Critical, $"not checked: {e.Message}", "Make the admin API reachable (--api-url, --api-key-file) and run again."));
        }
    }

    /// <summary>Every host the API lists (pages of 500, at most 100 pages), optionally of one status.</summary>
    public async Task<IReadOnlyList<System.Text.Json.Nodes.JsonNode>> HostsAsync(string? status, CancellationToken cancellationToken)
    {
        var hosts = new List<System.Text.Json.Nodes.JsonNode>();
        for (int page = 0; page < 100; page++)
        {
            string query = $"hosts?limit=500&offset={page * 500}" + (status is null ? "" : $"&status={status}");
            var answer = await api.GetAsync(query, cancellationToken);
            var items = answer?["items"]?.AsArray();
            if (items is null || items.Count == 0) break;
            hosts.AddRange(items.Where(i => i is not null)!);
            if (hosts.Count >= (answer!["total"]?.GetValue<int>() ?? 0)) break;
        }
        return hosts;
    }
}
