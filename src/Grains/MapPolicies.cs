using P2PCluster.Grains.Interfaces;
using P2PCluster.Grains.Interfaces.Admin;

namespace P2PCluster.Grains;

/// <summary>
/// A map's policy in two layers: the configured one (<c>maps:</c> in p2p.conf, re-applied by every silo at start) and
/// the operator's override (the admin API's patch), which holds only the fields that differ from the configured
/// policy. Effective = configured with the override's fields. Pure.
/// </summary>
public static class MapPolicies
{
    /// <summary>Throws <see cref="ClusterError.InvalidArgument"/> naming the field (camelCase, as the API spells it).</summary>
    public static void Validate(MapPolicyPatch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        if (patch.MaxPlayers is { } max && max is < 1 or > 65535)
            throw new ClusterException(ClusterError.InvalidArgument, $"maxPlayers: {max} is out of range 1–65535");
        if (patch.MinScore is { } min && (!double.IsFinite(min) || min is < 0 or > 100))
            throw new ClusterException(ClusterError.InvalidArgument, $"minScore: {min} is out of range 0–100");
    }

    /// <summary><paramref name="configured"/> with the fields <paramref name="patch"/> sets.</summary>
    public static MapPolicy Apply(MapPolicy configured, MapPolicyPatch? patch) => patch is null ? configured : new MapPolicy(
        patch.Critical ?? configured.Critical, patch.P2PAllowed ?? configured.P2PAllowed,
        patch.MaxPlayers ?? configured.MaxPlayers, patch.MinScore ?? configured.MinScore);

    /// <summary>
    /// The override after <paramref name="patch"/>: its fields replace the old override's, and a field equal to the
    /// configured value is dropped (so patching a field back to its configured value ends that override). Null when
    /// nothing differs.
    /// </summary>
    public static MapPolicyPatch? Merge(MapPolicy configured, MapPolicyPatch? current, MapPolicyPatch patch)
    {
        bool? critical = patch.Critical ?? current?.Critical;
        bool? p2p = patch.P2PAllowed ?? current?.P2PAllowed;
        int? max = patch.MaxPlayers ?? current?.MaxPlayers;
        double? min = patch.MinScore ?? current?.MinScore;
        var merged = new MapPolicyPatch(
            Critical: critical == configured.Critical ? null : critical,
            P2PAllowed: p2p == configured.P2PAllowed ? null : p2p,
            MinScore: min == configured.MinScore ? null : min,
            MaxPlayers: max == configured.MaxPlayers ? null : max);
        return IsEmpty(merged) ? null : merged;
    }

    /// <summary>The override that still differs once the configured policy changed to <paramref name="configured"/>.</summary>
    public static MapPolicyPatch? Rebase(MapPolicy configured, MapPolicyPatch? current) =>
        current is null ? null : Merge(configured, null, current);

    private static bool IsEmpty(MapPolicyPatch p) => p.Critical is null && p.P2PAllowed is null && p.MaxPlayers is null && p.MinScore is null;
}
