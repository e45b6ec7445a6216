using System.Diagnostics;
using System.Text.RegularExpressions;
using P2PCluster.Hosting;

namespace P2PCluster.TestSupport;

/// <summary>
/// A Prometheus scrape's body, read as Prometheus reads it: its families (from the <c># TYPE</c> lines), a sample's
/// value (read by <see cref="PrometheusText"/>), and what <c>promtool check metrics</c> (Debian package <c>prometheus</c>) says about it.
/// </summary>
public sealed partial class MetricsScrape(string body)
{
    /// <summary>Lint promtool reports on meters that are not ours (the .NET runtime's, Orleans'): kept to what it says today.</summary>
    private static readonly Regex ThirdParty = ThirdPartyLint();

    public string Body { get; } = body;

    /// <summary>Every family named by a <c># TYPE</c> line, with its type.</summary>
    public IReadOnlyDictionary<string, string> Families { get; } = body.Split('\n')
        .Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal))
        .Select(l => l.Split(' '))
        .ToDictionary(p => p[2], p => p[3], StringComparer.Ordinal);

    public static async Task<MetricsScrape> GetAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(url);
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode}\n{body}");
        return new MetricsScrape(body);
    }

    /// <summary>The samples, read by the one Prometheus text parser the tools use too.</summary>
    private readonly PrometheusText _samples = new(body);

    /// <summary>The sum of the samples named <paramref name="sample"/> whose labels include every one of <paramref name="labels"/> (<c>code="TicketUsed"</c>); null when there is none.</summary>
    public double? Value(string sample, params string[] labels) => _samples.Total(sample, labels);

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include <paramref name="labels"/>; 0 when there is none.</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        _samples.Total(name, [.. labels.Select(l => $"{l.Key}=\"{l.Value}\"")]) ?? 0;

    /// <summary>Whether any sample of <paramref name="name"/> is present.</summary>
    public bool Has(string name) => _samples.Total(name) is not null;

    /// <summary>
    /// Runs <c>promtool check metrics</c> on the body and returns what it reported about our families (anything
    /// that is not a known, documented complaint about a third-party meter), parse errors included. Fails the test
    /// when promtool is not installed.
    /// </summary>
    public async Task<IReadOnlyList<string>> LintAsync()
    {
        string promtool = FindPromtool()
            ?? throw new InvalidOperationException("promtool is not installed: install the Debian package 'prometheus' (apt-get install prometheus), "
                + "which ships /usr/bin/promtool; scripts/test.sh installs it when missing");
        var info = new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(Body);
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(deadline.Token);
        string said = await stdout + await stderr;
        var ours = said.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !ThirdParty.IsMatch(line)).ToList();
        // 0: clean; 3: lint problems only (each listed); anything else is a failure to parse.
        if (process.ExitCode is not (0 or 3)) ours.Insert(0, $"promtool exited {process.ExitCode}");
        return ours;
    }

    private static string? FindPromtool() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "promtool")).FirstOrDefault(File.Exists);

    // Any lint about the runtime's (dotnet_*) and Orleans' (orleans_*) families: their names, units, help texts and
    // label names are theirs (seen: dotnet_*_count gauges; Orleans' missing help, milliseconds and megabytes, and a
    // camelCase label on orleans_messaging_received_messages_size_bytes that only some traffic makes appear).
    [GeneratedRegex("""^(dotnet|orleans)_\w+ \S""")]
    private static partial Regex ThirdPartyLint();
}
