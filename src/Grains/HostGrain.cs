using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>Owns one host node's identity, status, maps and reliability history.</summary>
public sealed class HostGrain(
    [PersistentState("host", StorageNames.State)] IPersistentState<HostState> state,
    TimeProvider time) : Grain, IHostGrain
{
    /// <summary>Ed25519 public keys are 32 bytes.</summary>
    public const int PublicKeyLength = 32;

    private IHostConnection? _connection;

    private string HostId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Names.RequireHostId(HostId);
        return base.OnActivateAsync(cancellationToken);
    }

    public Task<HostInfo> GetAsync() => Task.FromResult(Snapshot());

    public async Task<HostInfo> ConnectAsync(HostRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.PublicKey is not { Length: PublicKeyLength })
            throw new ClusterException(ClusterError.InvalidArgument, $"public key must be {PublicKeyLength} bytes (Ed25519)");
        if (!Enum.IsDefined(registration.Kind))
            throw new ClusterException(ClusterError.InvalidArgument, $"unknown host kind {(int)registration.Kind}");
        Names.RequireEndpoint(registration.Endpoint);

        var s = state.State;
        if (s.PublicKey is not null && !s.PublicKey.AsSpan().SequenceEqual(registration.PublicKey))
            throw new ClusterException(ClusterError.IdentityMismatch, $"host {HostId} is bound to another public key");
        if (s.Status == HostStatus.Banned)
            throw new ClusterException(ClusterError.HostBanned, $"host {HostId} is banned");

        s.PublicKey ??= registration.PublicKey.ToArray();
        s.Kind = registration.Kind;
        s.Endpoint = registration.Endpoint;
        if (s.OnlineSince is null)
        {
            s.OnlineSince = time.GetUtcNow();
            s.Reliability = s.Reliability with { Sessions = s.Reliability.Sessions + 1 };
        }
        s.Status = s.Draining ? HostStatus.Draining : HostStatus.Online;
        await state.WriteStateAsync();
        return Snapshot();
    }

    public Task AttachAsync(IHostConnection connection)
    {
        if (state.State.Status is HostStatus.Online or HostStatus.Draining) _connection = connection;
        return Task.CompletedTask;
    }

    public async Task DisconnectAsync(bool failure, string? reason)
    {
        _connection = null;
        var s = state.State;
        if (s.OnlineSince is null && !failure) return;
        CloseSession(failure, reason);
        if (s.Status != HostStatus.Banned) s.Status = HostStatus.Offline;
        await state.WriteStateAsync();
    }

    public async Task AddMapAsync(string map, long epoch)
    {
        Names.RequireMapName(map);
        if (epoch < 1) throw new ClusterException(ClusterError.InvalidArgument, $"epoch {epoch} must be positive");
        if (state.State.Maps.TryGetValue(map, out long held) && held >= epoch) return;
        state.State.Maps[map] = epoch;
        await state.WriteStateAsync();
    }

    public async Task RemoveMapAsync(string map, long epoch)
    {
        Names.RequireMapName(map);
        // A newer epoch means the map came back to this host since; the stale removal must not drop it.
        if (!state.State.Maps.TryGetValue(map, out long held) || held > epoch) return;
        state.State.Maps.Remove(map);
        await state.WriteStateAsync();
    }

    public async Task SetBannedAsync(bool banned)
    {
        var s = state.State;
        if (banned == (s.Status == HostStatus.Banned)) return;
        if (banned)
        {
            CloseSession(failure: false, reason: null);
            s.Status = HostStatus.Banned;
            _connection?.CloseAsync(ClusterError.HostBanned, $"host {HostId} is banned");
            _connection = null;
        }
        else
        {
            s.Status = HostStatus.Offline;
        }
        await state.WriteStateAsync();
    }

    public async Task SetDrainingAsync(bool draining)
    {
        var s = state.State;
        if (s.Draining == draining) return;
        s.Draining = draining;
        if (s.Status is HostStatus.Online or HostStatus.Draining)
            s.Status = draining ? HostStatus.Draining : HostStatus.Online;
        await state.WriteStateAsync();
    }

    private void CloseSession(bool failure, string? reason)
    {
        var s = state.State;
        var now = time.GetUtcNow();
        var r = s.Reliability;
        if (s.OnlineSince is { } since)
            r = r with { TotalUptime = r.TotalUptime + (now - since) };
        if (failure)
            r = r with { Failures = r.Failures + 1, LastFailureAt = now, LastFailureReason = reason };
        s.Reliability = r;
        s.OnlineSince = null;
    }

    private HostInfo Snapshot()
    {
        var s = state.State;
        return new HostInfo(HostId, s.PublicKey?.ToArray(), s.Kind, s.Status, s.Endpoint,
            new Dictionary<string, long>(s.Maps, StringComparer.Ordinal), s.Reliability, s.OnlineSince);
    }
}
