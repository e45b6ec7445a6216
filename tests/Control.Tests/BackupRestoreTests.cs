using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace P2PCluster.Control.Tests;

/// <summary>
/// --backup-state and --restore-state as the real program: a backup of one cluster restored on a fresh one gives the
/// same policies, bans and approvals; a second restore changes nothing; --dry-run changes nothing; a flipped byte, a
/// truncated file or a newer version is refused (exit 5) with nothing applied.
/// </summary>
[Collection(StateSilosCollection.Name)]
public sealed class BackupRestoreTests(StateSilosFixture fixture)
{
    [Fact]
    public async Task BackupThenRestoreOnAFreshClusterGivesTheSamePoliciesBansAndApprovalsAndTwiceChangesNothing()
    {
        var source = fixture.Source;
        var hosts = await P2PHostsAsync(source);
        Assert.True(hosts.Count >= 2, string.Join(", ", hosts));
        foreach (var args in (string[][])[
            ["host", "approve", hosts[0]],
            ["host", "ban", hosts[1]],
            ["map", "policy", "geffen", "--max-players", "77", "--min-score", "12.5"],
            ["map", "policy", "payon", "--critical", "true"],
            ["map", "disable", "prontera"]])
        {
            var run = await ControlRun.RunAsync(source.ControlEnvironment(), args);
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        string dir = Directory.CreateTempSubdirectory("p2p-control-backup-").FullName;
        string file = Path.Combine(dir, "backup", "state.dat");
        var backup = await ControlRun.RunAsync(source.ControlEnvironment(), "--backup-state", file);
        Assert.True(backup.ExitCode == 0, backup.ToString());
        var saved = Body(file);
        Assert.Contains(saved.GetProperty("hosts").EnumerateArray(), h => h.GetProperty("hostId").GetString() == hosts[0] && h.GetProperty("approved").GetBoolean());
        Assert.Contains(saved.GetProperty("hosts").EnumerateArray(), h => h.GetProperty("hostId").GetString() == hosts[1] && h.GetProperty("banned").GetBoolean());
        Assert.Equal(2, saved.GetProperty("version").GetInt32());
        Assert.Equal(["prontera"], saved.GetProperty("disabledMaps").EnumerateArray().Select(m => m.GetString()));

        // The key set's public part comes along (GET /api/v1/keys): the source's active key.
        var keys = saved.GetProperty("keys");
        Assert.Equal(JsonValueKind.Array, keys.ValueKind);
        Assert.Contains(keys.EnumerateArray(), k => k.GetProperty("state").GetString() == "active" && k.GetProperty("publicKey").GetString()!.Length == 44);
        Assert.Contains("public key(s)", backup.Output);

        var fresh = fixture.Fresh;
        var stateBefore = await StateAsync(fresh);
        var dry = await ControlRun.RunAsync(fresh.ControlEnvironment(), "--restore-state", file, "--dry-run", "--json");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        var planned = dry.Events("change");
        Assert.True(planned.Count >= 4, dry.ToString());
        Assert.All(planned, c => Assert.False(c.GetProperty("applied").GetBoolean()));
        Assert.Equal(stateBefore, await StateAsync(fresh));

        var restore = await ControlRun.RunAsync(fresh.ControlEnvironment(), "--restore-state", file, "--json");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(planned.Count, restore.Events("change").Count(c => c.GetProperty("applied").GetBoolean()));
        // Each silo here made its own coordinator key: the restore says the key sets differ and leaves them be.
        Assert.True(Assert.Single(restore.Events("keys")).GetProperty("cluster").GetString()!.Length > 0, restore.ToString());
        Assert.True(Assert.Single(restore.Events("restore")).GetProperty("keysDiffer").GetBoolean());

        // The fresh cluster now holds what the source held: its own backup says the same (of these hosts and maps; the
        // other test here restores its own).
        string again = Path.Combine(dir, "fresh.dat");
        var second = await ControlRun.RunAsync(fresh.ControlEnvironment(), "--backup-state", again);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(Entries(saved, "hosts", "hostId"), Entries(Body(again), "hosts", "hostId").Where(e => Entries(saved, "hosts", "hostId").Any(s => s.Key == e.Key)));
        Assert.Equal(Entries(saved, "mapPolicies", "map"), Entries(Body(again), "mapPolicies", "map").Where(e => Entries(saved, "mapPolicies", "map").Any(s => s.Key == e.Key)));
        Assert.Contains("prontera", Body(again).GetProperty("disabledMaps").EnumerateArray().Select(m => m.GetString()));

        // Restoring twice changes nothing: no change planned, none audited.
        int audited = await AuditCountAsync(fresh);
        var twice = await ControlRun.RunAsync(fresh.ControlEnvironment(), "--restore-state", file, "--json");
        Assert.True(twice.ExitCode == 0, twice.ToString());
        Assert.Empty(twice.Events("change"));
        Assert.Equal(0, Assert.Single(twice.Events("restore")).GetProperty("changes").GetInt32());
        Assert.Equal(audited, await AuditCountAsync(fresh));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task AFlippedByteATruncationOrANewerVersionIsRefusedAndNothingIsApplied()
    {
        var fresh = fixture.Fresh;
        string hostId = "h" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        byte[] body = Encoding.UTF8.GetBytes($$"""
            {"format":"p2p-state","version":1,"createdAt":"2026-12-07T10:00:00Z","source":"test",
             "hosts":[{"hostId":"{{hostId}}","approved":true,"banned":true}],
             "mapPolicies":[{"map":"morocc","critical":false,"p2pAllowed":false,"minScore":33,"maxPlayers":44}],"keys":null}
            """);
        byte[] good = File(1, body);
        string dir = Directory.CreateTempSubdirectory("p2p-control-corrupt-").FullName;
        var stateBefore = await StateAsync(fresh);
        int audited = await AuditCountAsync(fresh);

        var bad = new List<(string Why, byte[] Bytes, string Message)>();
        int header = Array.IndexOf(good, (byte)'\n') + 1;
        foreach (int at in (int[])[10, 12, 40, header - 3, header, header + body.Length / 2, good.Length - 1])
        {
            byte[] flipped = (byte[])good.Clone();
            flipped[at] ^= 0x01;
            bad.Add(($"byte {at} flipped", flipped, ""));
        }
        foreach (int length in (int[])[0, 5, header - 1, header, header + 10, good.Length - 1])
            bad.Add(($"cut to {length} bytes", good[..length], ""));
        bad.Add(("format 3", File(3, body), "newer"));
        bad.Add(("header 2 over a format 1 body", File(2, body), "the body says version 1, the header 2"));

        foreach (var (why, bytes, message) in bad)
        {
            string path = Path.Combine(dir, "state.dat");
            await System.IO.File.WriteAllBytesAsync(path, bytes);
            var run = await ControlRun.RunAsync(fresh.ControlEnvironment(), "--restore-state", path);
            Assert.True(run.ExitCode == 5, $"{why}: {run}");
            Assert.Contains(path, run.Output);
            Assert.Contains(message, run.Output);
        }
        Assert.Equal(stateBefore, await StateAsync(fresh));
        Assert.Equal(audited, await AuditCountAsync(fresh));

        // The same file unharmed is applied (a format 1 file: read as before disabled maps were saved): the refusals were the damage's.
        string goodPath = Path.Combine(dir, "good.dat");
        await System.IO.File.WriteAllBytesAsync(goodPath, good);
        var ok = await ControlRun.RunAsync(fresh.ControlEnvironment(), "--restore-state", goodPath);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("restored: 2 change(s)", ok.Output);
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>A state file as docs/operations.md describes it: header line, then the body.</summary>
    private static byte[] File(int version, byte[] body) =>
        [.. Encoding.ASCII.GetBytes($"p2p-state {version} sha256={Convert.ToHexStringLower(SHA256.HashData(body))} bytes={body.Length}\n"), .. body];

    private static JsonElement Body(string path)
    {
        byte[] bytes = System.IO.File.ReadAllBytes(path);
        int newline = Array.IndexOf(bytes, (byte)'\n');
        return JsonDocument.Parse(bytes.AsMemory(newline + 1)).RootElement.Clone();
    }

    private static List<KeyValuePair<string, string>> Entries(JsonElement body, string list, string key) =>
        [.. body.GetProperty(list).EnumerateArray().Select(e => KeyValuePair.Create(e.GetProperty(key).GetString()!, e.GetRawText()))];

    private static async Task<List<string>> P2PHostsAsync(ControlSilo silo)
    {
        using var client = silo.Client();
        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/hosts?kind=p2p&status=online&limit=500");
        return [.. page.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("hostId").GetString()!)];
    }

    /// <summary>GET /state without its time: what a restore could change.</summary>
    private static async Task<string> StateAsync(ControlSilo silo)
    {
        using var client = silo.Client();
        var state = await client.GetFromJsonAsync<JsonElement>("/api/v1/state");
        return state.GetProperty("hosts").ToString() + state.GetProperty("maps").ToString();
    }

    private static async Task<int> AuditCountAsync(ControlSilo silo)
    {
        using var client = silo.Client();
        return (await client.GetFromJsonAsync<JsonElement>("/api/v1/audit?limit=1000")).GetProperty("items").GetArrayLength();
    }
}
