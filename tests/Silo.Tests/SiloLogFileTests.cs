using System.Net.Http.Headers;
using System.Text.Json;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Silo.Tests;

/// <summary>
/// The silo as a real process on the embedded default with <c>logging.file</c> in JSON: the file is renamed while
/// requests keep producing countable lines, SIGUSR1 makes the silo reopen it, and no line is lost or split.
/// </summary>
public sealed class SiloLogFileTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private const int SigUsr1 = 10; // Linux
    private const int Requests = 400, RenameAfter = 150;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("p2p-silo-log-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task RenamedLogFileIsReopenedOnSigusr1WithNoLineLostOrSplit()
    {
        string log = Path.Combine(_dir.FullName, "p2p", "coordinator.log");
        int httpPort = FreePort.Next();
        await using var silo = ProgramProcess.Start("Silo", [], new Dictionary<string, string>
        {
            ["P2P_cluster__silo_port"] = FreePort.Next().ToString(),
            ["P2P_cluster__gateway_port"] = FreePort.Next().ToString(),
            ["P2P_coordinator__port"] = FreePort.Next().ToString(),
            ["P2P_coordinator__bind_address"] = "127.0.0.1",
            ["P2P_coordinator__db_proxy_port"] = FreePort.Next().ToString(),
            ["P2P_http__urls"] = $"http://127.0.0.1:{httpPort}",
            ["P2P_logging__file"] = log,
            ["P2P_logging__format"] = "json",
            // Each refused request logs one warning naming its path: lines the test can number.
            ["P2P_admin__max_failed_attempts"] = "100000",
        });
        await silo.WaitForLineAsync("Silo started", StartTimeout);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-key");
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = Task.Run(async () =>
        {
            for (int i = 0; i < Requests; i++)
            {
                if (i == RenameAfter) halfway.SetResult();
                using var response = await http.GetAsync($"/api/v1/hosts/seq-{i}");
                Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
            }
        });
        await halfway.Task.WaitAsync(StartTimeout);
        File.Move(log, log + ".1"); // as logrotate does, while the requests go on
        silo.Signal(SigUsr1);
        await silo.WaitForLineAsync("SIGUSR1: reopened the log file", StartTimeout);
        await sender.WaitAsync(StartTimeout);
        silo.Signal(ProgramProcess.SigTerm);
        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var old = Entries(log + ".1");
        var current = Entries(log);
        output.WriteLine($"{old.Count} entries before the reopen, {current.Count} after");
        var numbers = old.Concat(current).Where(e => e.EventId == 7300).Select(e => int.Parse(e.Path!["/api/v1/hosts/seq-".Length..])).ToList();
        Assert.Equal(Enumerable.Range(0, Requests), numbers.Order());
        Assert.Contains(old, e => e.EventId == 7300);
        Assert.DoesNotContain(old, e => e.EventId == 1702);
        Assert.Contains(current, e => e.EventId == 1702 && e.Message == $"SIGUSR1: reopened the log file {log}");
        Assert.Contains(current, e => e.Path == $"/api/v1/hosts/seq-{Requests - 1}");
        Assert.Contains(current, e => e.Message.StartsWith("Application is shutting down", StringComparison.Ordinal));
    }

    /// <summary>Every line of <paramref name="path"/> as JSON: a line split by the reopen would not parse.</summary>
    private static List<(int EventId, string Message, string? Path)> Entries(string path) =>
        File.ReadAllLines(path).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            string? requestPath = root.TryGetProperty("State", out var state) && state.TryGetProperty("Path", out var p) ? p.GetString() : null;
            return (root.GetProperty("EventId").GetInt32(), root.GetProperty("Message").GetString()!, requestPath);
        }).ToList();
}
