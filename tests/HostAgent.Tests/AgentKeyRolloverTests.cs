using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using P2PCluster.Client;
using P2PCluster.Gateway;
using P2PCluster.HostAgent.Coordinator;
using P2PCluster.Hosting;
using P2PCluster.Hosting.Keys;
using P2PCluster.Protocol;
using P2PCluster.Silo;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.HostAgent.Tests;

/// <summary>
/// Real agents against a real silo rolling its key over (rollover 1 s): a connected agent learns the next key without
/// reconnecting, and one that was offline through the switch gets in with the old key (still in its grace) and learns
/// the new one, keeping it across a restart.
/// </summary>
[Collection(ExclusiveCollection.Name)]
public sealed class AgentKeyRolloverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly LogCollector _log = new(output);
    private readonly DirectoryInfo _dataDir = Directory.CreateTempSubdirectory("p2p-agent-roll-");
    private WebApplication _app = null!;
    private string _endpoint = "";
    private byte[] _seed = [];
    private ICoordinatorKeyStore _store = null!;

    public async Task InitializeAsync()
    {
        int port = FreePort.Next();
        var settings = CoordinatorSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["coordinator:port"] = port.ToString(),
            ["coordinator:db_proxy_port"] = FreePort.Next().ToString(),
            ["coordinator:bind_address"] = "127.0.0.1",
            ["cluster:silo_port"] = FreePort.Next().ToString(),
            ["cluster:gateway_port"] = FreePort.Next().ToString(),
            ["http:urls"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["security:data_dir"] = _dataDir.FullName,
            ["security:key_rollover_ms"] = "1000",
        }).Build());
        var key = CoordinatorKey.Load(settings);
        _seed = key.Identity.PublicKey;
        _app = SiloHost.Build(settings, key);
        await _app.StartAsync();
        _endpoint = $"127.0.0.1:{port}";
        _store = _app.Services.GetRequiredService<ICoordinatorKeyStore>();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _dataDir.Delete(recursive: true);
    }

    private static bool Trusts(AgentRig rig, byte[] key) => rig.Trust.Trusted().Any(k => k.Key.AsSpan().SequenceEqual(key));

    private static string Seen(AgentRig rig) => string.Join(", ", rig.Trust.Trusted().Select(k => KeyNames.KeyId(k.Key)));

    private async Task<SigningIdentity> RotateAsync()
    {
        var next = SigningIdentity.Generate();
        await _store.UpdateAsync(set => KeyRollover.Rotate(set, next, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)), CancellationToken.None);
        return next;
    }

    /// <summary>Waits (deadline <see cref="Timeout"/>) until a handshake pinned to <paramref name="key"/> alone succeeds.</summary>
    private Task WaitUntilTheSiloSignsWithAsync(byte[] key)
    {
        string? refused = null;
        return Eventually.TrueAsync(async () =>
        {
            try
            {
                await using var connection = await CoordinatorConnection.ConnectAsync(IPEndPoint.Parse(_endpoint), new CoordinatorConnectionOptions { CoordinatorKeys = [key] });
                return true;
            }
            catch (ProtocolException e)
            {
                refused = e.Message;
                return false;
            }
        }, $"the silo signs with {KeyNames.KeyId(key)}", Timeout, seen: () => refused ?? "no attempt");
    }

    [Fact]
    public async Task ConnectedAgentLearnsTheNextKeyWithoutReconnecting()
    {
        await using var rig = new AgentRig(_log, _endpoint, Convert.ToHexString(_seed));
        await rig.StartAsync();
        await Eventually.HoldsAsync(() => File.Exists(CoordinatorTrust.FileBeside(rig.Settings.Identity.KeyFile)), Timeout, () => _log.Text);

        using var next = await RotateAsync();
        await Eventually.HoldsAsync(() => Trusts(rig, next.PublicKey), Timeout, () => Seen(rig));
        await WaitUntilTheSiloSignsWithAsync(next.PublicKey);
        Assert.Equal(0, rig.Agent.Counters.Reconnects);
        Assert.Contains("Learned the coordinator key set", _log.Text);
    }

    [Fact]
    public async Task AgentOfflineThroughTheSwitchGetsInWithTheOldKeyAndLearnsTheNewOne()
    {
        using var next = await RotateAsync();
        await WaitUntilTheSiloSignsWithAsync(next.PublicKey);

        await using var rig = new AgentRig(_log, _endpoint, Convert.ToHexString(_seed)); // pins only the old key
        await rig.StartAsync();
        await Eventually.HoldsAsync(() => Trusts(rig, next.PublicKey), Timeout, () => Seen(rig) + "\n" + _log.Text);
        Assert.Equal(next.PublicKey, rig.Trust.Live[0]); // its next handshake asks for the new key

        var restarted = new CoordinatorTrust(_seed, CoordinatorTrust.FileBeside(rig.Settings.Identity.KeyFile), TimeProvider.System, _log.For<CoordinatorTrust>());
        Assert.Contains(restarted.Trusted(), k => k.Key.AsSpan().SequenceEqual(next.PublicKey));

        // Revoked: the agent drops the old key with the next announcement (within a heartbeat of the silo's re-read).
        using var spare = SigningIdentity.Generate();
        await _store.UpdateAsync(set => KeyRollover.Revoke(set, KeyNames.KeyId(_seed), DateTimeOffset.UtcNow, spare), CancellationToken.None);
        await Eventually.HoldsAsync(() => !Trusts(rig, _seed), Timeout, () => Seen(rig));
    }
}
