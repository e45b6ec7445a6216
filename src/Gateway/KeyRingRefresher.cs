using Microsoft.Extensions.Options;
using P2PCluster.Hosting;
using P2PCluster.Hosting.Keys;
using P2PCluster.Protocol;

namespace P2PCluster.Gateway;

/// <summary>
/// Seeds the key set with the configured coordinator key if it is empty (first start of a cluster), reads it before
/// the gateway serves, then re-reads it every <see cref="SecurityOptions.KeySetRefresh"/> (a quarter of
/// security.key_rollover_ms, at most 5 s), so an announced key is known everywhere well before it activates. A failed
/// read keeps the last set: it already holds every date the switch needs.
/// </summary>
public sealed partial class KeyRingRefresher(
    CoordinatorKeyRing ring,
    ICoordinatorKeyStore store,
    SigningIdentity seed,
    IOptions<SecurityOptions> security,
    TimeProvider time,
    ILogger<KeyRingRefresher> logger) : BackgroundService
{
    private string _signing = "";

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var edit = await store.UpdateAsync(set => KeyRollover.Seed(set, seed, time.GetUtcNow()), cancellationToken);
        if (edit.Changed.Count > 0) LogSeeded(logger, store.Describe, KeyNames.KeyId(seed.PublicKey));
        ring.Update(await store.ReadAsync(cancellationToken));
        Report();
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(security.Value.KeySetRefresh, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                ring.Update(await store.ReadAsync(stoppingToken));
                Report();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is DatabaseException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                LogReadFailed(logger, store.Describe, e.Message);
            }
        }
    }

    // Logs each switch once per process: where a gateway began signing with a new key, and when.
    private void Report()
    {
        string current = KeyNames.KeyId(ring.Current.PublicKey);
        if (current == _signing) return;
        _signing = current;
        LogSigning(logger, current, store.Describe);
    }

    [LoggerMessage(EventId = 3360, Level = LogLevel.Information, Message = "{Store} was empty: seeded the key set with the configured coordinator key {KeyId}, active now")]
    private static partial void LogSeeded(ILogger logger, string store, string keyId);

    [LoggerMessage(EventId = 3361, Level = LogLevel.Information, Message = "Signing tickets and handshakes with coordinator key {KeyId} ({Store})")]
    private static partial void LogSigning(ILogger logger, string keyId, string store);

    [LoggerMessage(EventId = 3362, Level = LogLevel.Warning, Message = "Could not re-read {Store}: {Reason}; keeping the last one read")]
    private static partial void LogReadFailed(ILogger logger, string store, string reason);
}
