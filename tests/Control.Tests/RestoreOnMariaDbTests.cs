using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using P2PCluster.TestSupport;

namespace P2PCluster.Control.Tests;

/// <summary>
/// On MariaDB, where host and map state is durable: what a restore applied, and what the ordinary approve and ban
/// routes did, is still there — and still read back by the next backup and restore — after the silo restarts, for
/// hosts that never connected or have not come back too (the host directory, in memory, has forgotten them).
/// </summary>
[Collection(MariaDbCollection.Name)]
public sealed class RestoreOnMariaDbTests(MariaDbFixture db)
{
    [Fact]
    public async Task RestoredStandingsAndPoliciesOutliveASiloRestart()
    {
        string database = await db.Server.CreateDatabaseAsync("ctlrestore");
        string user = await db.Server.CreateLeastPrivilegeUserAsync(database);
        string clusterId = "c" + Guid.NewGuid().ToString("N")[..8];
        var folder = Directory.CreateTempSubdirectory("p2p-control-db-");
        string approved = NewHostId(), banned = NewHostId(), both = NewHostId();
        byte[] body = Encoding.UTF8.GetBytes($$"""
            {"format":"p2p-state","version":1,"createdAt":"2026-12-07T10:00:00Z","source":"test",
             "hosts":[{"hostId":"{{approved}}","approved":true,"banned":false},{"hostId":"{{banned}}","approved":false,"banned":true},
                      {"hostId":"{{both}}","approved":true,"banned":true}],
             "mapPolicies":[{"map":"morocc","critical":true,"p2pAllowed":true,"minScore":20,"maxPlayers":60}],"keys":null}
            """);
        string file = Path.Combine(folder.FullName, "state.dat");
        await File.WriteAllBytesAsync(file,
            [.. Encoding.ASCII.GetBytes($"p2p-state 1 sha256={Convert.ToHexStringLower(SHA256.HashData(body))} bytes={body.Length}\n"), .. body]);

        string demoApproved, demoBanned;
        await using (var first = await ControlSilo.StartAsync(demo: true, user, clusterId, folder))
        {
            var restore = await ControlRun.RunAsync(first.ControlEnvironment(), "--restore-state", file);
            Assert.True(restore.ExitCode == 0, restore.ToString());
            Assert.Contains("restored: 4 change(s)", restore.Output);
            // Two of the demo's hosts through the ordinary routes; their agents leave with this silo and never return.
            await first.WaitForP2PMapsAsync(TimeSpan.FromSeconds(90));
            List<string> demoHosts;
            using (var client = first.Client())
            {
                var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/hosts?kind=p2p&limit=500");
                demoHosts = [.. page.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("hostId").GetString()!)];
            }
            Assert.True(demoHosts.Count >= 2, string.Join(", ", demoHosts));
            (demoApproved, demoBanned) = (demoHosts[0], demoHosts[1]);
            foreach (var args in (string[][])[["host", "approve", demoApproved], ["host", "ban", demoBanned]])
            {
                var run = await ControlRun.RunAsync(first.ControlEnvironment(), args);
                Assert.True(run.ExitCode == 0, run.ToString());
            }
            await first.StopAsync();
        }

        await using var second = await ControlSilo.StartAsync(demo: false, user, clusterId, folder);
        var again = await ControlRun.RunAsync(second.ControlEnvironment(), "--restore-state", file, "--dry-run");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.True(again.Output.Contains("nothing to change", StringComparison.Ordinal), $"approved {approved}, banned {banned}, both {both}: {again}");
        string backup = Path.Combine(folder.FullName, "after-restart.dat");
        var saved = await ControlRun.RunAsync(second.ControlEnvironment(), "--backup-state", backup, "--json");
        Assert.True(saved.ExitCode == 0, saved.ToString());
        byte[] bytes = await File.ReadAllBytesAsync(backup);
        using var document = JsonDocument.Parse(bytes.AsMemory(Array.IndexOf(bytes, (byte)'\n') + 1));
        var hosts = document.RootElement.GetProperty("hosts").EnumerateArray()
            .ToDictionary(h => h.GetProperty("hostId").GetString()!, h => (h.GetProperty("approved").GetBoolean(), h.GetProperty("banned").GetBoolean()));
        Assert.Equal((true, false), hosts.GetValueOrDefault(demoApproved));
        Assert.Equal((false, true), hosts.GetValueOrDefault(demoBanned));
        Assert.Equal((true, true), hosts.GetValueOrDefault(both));
        folder.Delete(recursive: true);
    }

    private static string NewHostId() => "h" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
}
