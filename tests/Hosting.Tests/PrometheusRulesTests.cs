using System.Diagnostics;
using System.Text.RegularExpressions;
using P2PCluster.TestSupport;

namespace P2PCluster.Hosting.Tests;

/// <summary>
/// deploy/prometheus: the alerting rules pass <c>promtool check rules</c> and their unit tests
/// (<c>promtool test rules</c>), the scrape configuration passes <c>promtool check config</c>, and every metric the
/// rules use is documented in docs/monitoring.md.
/// </summary>
public sealed partial class PrometheusRulesTests
{
    private static readonly TimeSpan PromtoolTimeout = TimeSpan.FromMinutes(2);
    private static readonly string Deploy = Path.Combine(RepoPaths.Root, "deploy", "prometheus");
    private static readonly string Rules = Path.Combine(Deploy, "p2p-alerts.yml");

    [Fact]
    public async Task AlertRulesPassPromtoolCheck() => await PromtoolAsync("check", "rules", Rules);

    [Fact]
    public async Task AlertRulesPassTheirUnitTests()
    {
        string[] tests = Directory.GetFiles(Path.Combine(Deploy, "tests"), "*.yml");
        Assert.NotEmpty(tests);
        await PromtoolAsync(["test", "rules", .. tests]);
    }

    [Fact]
    public async Task ScrapeConfigurationPassesPromtoolCheck() => await PromtoolAsync("check", "config", Path.Combine(Deploy, "prometheus.yml"));

    [Fact]
    public void EveryMetricTheRulesUseIsDocumented()
    {
        string monitoring = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "monitoring.md"));
        var used = MetricName().Matches(File.ReadAllText(Rules)).Select(m => m.Value).Distinct().ToList();
        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains($"`{name}`", monitoring));
    }

    [GeneratedRegex(@"\bp2p_[a-z0-9_]+\b(?!\*)")] // a metric name, not a family such as p2p_cluster_* in a comment
    private static partial Regex MetricName();

    private static async Task PromtoolAsync(params string[] arguments)
    {
        string promtool = FindPromtool() ?? throw new Xunit.Sdk.XunitException(
            "promtool is not installed: install the Debian package prometheus (apt-get install --no-install-recommends prometheus), as scripts/test.sh does");
        var start = new ProcessStartInfo(promtool) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Deploy };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(PromtoolTimeout))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                throw new Xunit.Sdk.XunitException($"promtool {string.Join(' ', arguments)} did not finish within {PromtoolTimeout.TotalSeconds:F0} s");
            }
        }
        string said = (await output + await error).Trim();
        Assert.True(process.ExitCode == 0, $"promtool {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{said}");
    }

    private static string? FindPromtool() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "promtool")).FirstOrDefault(File.Exists);
}
