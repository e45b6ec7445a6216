using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// What a host's registration (CONNECT) may change in its grain's state: it checks the registration (a malformed one,
/// another key, a ban, a missing approval are refused with their codes), records what it brings, and says whether that
/// needs a write — a reconnect that changes nothing writes nothing.
/// </summary>
public static class HostAdmission
{
    /// <summary>Ed25519 public keys are 32 bytes.</summary>
    public const int PublicKeyLength = 32;

    /// <summary>
    /// Throws on a malformed registration (<see cref="ClusterError.InvalidArgument"/>) or a key other than the one the host
    /// is bound to (<see cref="ClusterError.IdentityMismatch"/>). Returns the refusal of a banned host
    /// (<see cref="ClusterError.HostBanned"/>) or of one waiting for approval (<see cref="ClusterError.HostNotApproved"/>);
    /// null when it may connect.
    /// </summary>
    public static ClusterException? Check(string hostId, HostState s, HostRegistration registration, bool requireApproval)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.PublicKey is not { Length: PublicKeyLength })
            throw new ClusterException(ClusterError.InvalidArgument, $"public key must be {PublicKeyLength} bytes (Ed25519)");
        if (!Enum.IsDefined(registration.Kind))
            throw new ClusterException(ClusterError.InvalidArgument, $"unknown host kind {(int)registration.Kind}");
        Names.RequireEndpoint(registration.Endpoint);

        if (s.PublicKey is not null && !s.PublicKey.AsSpan().SequenceEqual(registration.PublicKey))
            throw new ClusterException(ClusterError.IdentityMismatch, $"host {hostId} is bound to another public key");
        if (s.Status == HostStatus.Banned) return new ClusterException(ClusterError.HostBanned, $"host {hostId} is banned");
        if (requireApproval && !s.Approved)
            return new ClusterException(ClusterError.HostNotApproved, $"host {hostId} is not approved; an operator must approve its key");
        return null;
    }

    /// <summary>Throws <see cref="ClusterError.InvalidArgument"/> on a declared capacity (HOST_CAPACITY) out of range.</summary>
    public static void CheckCapacity(HostCapacity capacity)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        if (capacity.MaxMaps < 1 || capacity.MaxPlayers < 1 || capacity.CpuLimitPercent is < 1 or > 100
            || capacity.MemoryLimitPercent is < 1 or > 100 || capacity.NetworkLimitMbps < 1)
            throw new ClusterException(ClusterError.InvalidArgument, "capacity values out of range");
    }

    /// <summary>
    /// A host waiting for approval is remembered with its key, kind and endpoint, so that an operator sees it waiting and
    /// can approve its key. True when that changed: a host knocking again costs no write.
    /// </summary>
    public static bool Pending(HostState s, HostRegistration registration)
    {
        if (s.PublicKey is not null && s.Kind == registration.Kind && s.Endpoint == registration.Endpoint) return false;
        s.PublicKey ??= registration.PublicKey.ToArray();
        (s.Kind, s.Endpoint) = (registration.Kind, registration.Endpoint);
        return true;
    }

    /// <summary>
    /// Records an admitted registration at <paramref name="now"/> (online, or draining if it was; a new reliability
    /// session unless one is open) and returns whether it must be written. Only if something changed: a host reconnecting
    /// after a silo restart finds itself online already, and a reconnect storm must not cost a write per host. The first
    /// registration of an activation (<paramref name="registered"/> false) is always written: it moves the stored ETag
    /// on, so an older activation left on a frozen silo fails any write it attempts on waking. So is a liveness reminder
    /// not registered yet (the caller registers it).
    /// </summary>
    public static bool Admit(HostState s, HostRegistration registration, DateTimeOffset now, bool registered)
    {
        var status = s.Draining ? HostStatus.Draining : HostStatus.Online;
        bool changed = s.PublicKey is null || s.Kind != registration.Kind || s.Endpoint != registration.Endpoint
            || s.OnlineSince is null || s.Status != status || !s.LivenessReminder || !registered;
        s.PublicKey ??= registration.PublicKey.ToArray();
        (s.Kind, s.Endpoint, s.Status) = (registration.Kind, registration.Endpoint, status);
        if (s.OnlineSince is null)
        {
            s.OnlineSince = now;
            s.Reliability = s.Reliability with { Sessions = s.Reliability.Sessions + 1 };
        }
        return changed;
    }
}
