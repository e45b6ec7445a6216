using System.Text.Json.Serialization;
using P2PCluster.Protocol;

namespace P2PCluster.Grains.Interfaces.Admin;

// What the admin API (/api/v1, docs/admin-api.md) reads and answers. Records only: the HTTP layer serialises them as
// camelCase JSON with enums as camelCase strings; the grains behind IClusterAdmin build them. Shared by src/Admin
// (HTTP, dashboard) and src/Grains (ClusterAdmin).

/// <summary>GET /api/v1/summary.</summary>
[GenerateSerializer, Immutable, Alias("p2p.admin.ClusterSummary.v1")]
public sealed record ClusterSummary(
    [property: Id(0)] DateTimeOffset TakenAt,
    [property: Id(1)] IReadOnlyList<SiloSummary> Silos,
    [property: Id(2)] IReadOnlyList<HostCount> Hosts,
    [property: Id(3)] IReadOnlyList<MapCount> Maps,
    [property: Id(4)] int PlayersOnline,
    [property: Id(5)] NetworkControl Network,
    [property: Id(6)] int ActiveAlerts);

[GenerateSerializer, Immutable, Alias("p2p.admin.SiloSummary.v1")]
public sealed record SiloSummary(
    [property: Id(0)] string Address,
    [property: Id(1)] string Name,
    [property: Id(2)] string Status,
    [property: Id(3)] DateTimeOffset? StartedAt);

/// <summary>Whether P2P placement is paused (emergency failover) and since when.</summary>
[GenerateSerializer, Immutable, Alias("p2p.admin.NetworkControl.v1")]
public sealed record NetworkControl(
    [property: Id(0), JsonPropertyName("p2pPaused")] bool P2PPaused,
    [property: Id(1)] DateTimeOffset? PausedAt,
    [property: Id(2)] string? PausedBy,
    [property: Id(3)] long ResetGeneration);

/// <summary>GET /api/v1/hosts: filters and paging. Sorted by score, best first; offline hosts (no score) last.</summary>
[GenerateSerializer, Immutable, Alias("p2p.admin.HostQuery.v1")]
public sealed record HostQuery(
    [property: Id(0)] HostStatus? Status,
    [property: Id(1)] HostKind? Kind,
    [property: Id(2)] int Offset,
    [property: Id(3)] int Limit);

[GenerateSerializer, Immutable, Alias("p2p.admin.HostPage.v1")]
public sealed record HostPage(
    [property: Id(0)] int Total,
    [property: Id(1)] int Offset,
    [property: Id(2)] IReadOnlyList<HostSummary> Items);

[GenerateSerializer, Immutable, Alias("p2p.admin.HostSummary.v1")]
public sealed record HostSummary(
    [property: Id(0)] string HostId,
    [property: Id(1)] HostKind Kind,
    [property: Id(2)] HostStatus Status,
    [property: Id(3)] string? Endpoint,
    [property: Id(4)] double? Score,
    [property: Id(5)] HostLoad? Load,
    [property: Id(6)] HostCapacity? Capacity,
    [property: Id(7)] int Maps,
    [property: Id(8)] bool Approved);

/// <summary>GET /api/v1/hosts/{id}.</summary>
[GenerateSerializer, Immutable, Alias("p2p.admin.HostDetail.v1")]
public sealed record HostDetail(
    [property: Id(0)] HostSummary Summary,
    [property: Id(1)] string? KeyFingerprint,
    [property: Id(2)] bool Draining,
    [property: Id(3)] IReadOnlyDictionary<string, long> MapEpochs,
    [property: Id(4)] HostReliability Reliability,
    [property: Id(5)] DateTimeOffset? OnlineSince,
    [property: Id(6)] IReadOnlyList<PlacementRecord> RecentPlacements);

/// <summary>One placement decision as kept for operators: where a map went, why, and who else was considered.</summary>
[GenerateSerializer, Immutable, Alias("p2p.admin.PlacementRecord.v1")]
public sealed record PlacementRecord(
    [property: Id(0)] string Map,
    [property: Id(1)] long Epoch,
    [property: Id(2)] string? HostId,
    [property: Id(3)] HostKind? Kind,
    [property: Id(4)] string Reason,
    [property: Id(5)] DateTimeOffset DecidedAt,
    [property: Id(6)] ScoreBreakdown? Score,
    [property: Id(7)] IReadOnlyList<CandidateScore> Candidates);

[GenerateSerializer, Immutable, Alias("p2p.admin.CandidateScore.v1")]
public sealed record CandidateScore(
    [property: Id(0)] string HostId,
    [property: Id(1)] HostKind Kind,
    [property: Id(2)] ScoreBreakdown? Score,
    [property: Id(3)] string? Refused);

/// <summary>GET /api/v1/maps (every map, by name) and the head of GET /api/v1/maps/{name}.</summary>
[GenerateSerializer, Immutable, Alias("p2p.admin.MapSummary.v1")]
public sealed record MapSummary(
    [property: Id(0)] string Name,
    [property: Id(1)] MapPolicy Policy,
    [property: Id(2)] MapStatus Status,
    [property: Id(3)] string? HostId,
    [property: Id(4)] HostKind? HostKind,
    [property: Id(5)] long Epoch,
    [property: Id(6)] MapInstanceState? InstanceState,
    [property: Id(7)] int Players,
    [property: Id(8)] string? Why,
    [property: Id(9)] DateTimeOffset? Since);

/// <summary>GET /api/v1/maps/{name}.</summary>
[GenerateSerializer, Immutable, Alias("p2p.admin.MapDetail.v1")]
public sealed record MapDetail(
    [property: Id(0)] MapSummary Summary,
    [property: Id(1)] MapPolicy ConfiguredPolicy,
    [property: Id(2)] bool PolicyOverridden,
    [property: Id(3)] MapAssignment? Assignment,
    [property: Id(4)] IReadOnlyList<PlacementRecord> History);

/// <summary>PUT/PATCH /api/v1/maps/{name}/policy: only the fields given change.</summary>
[GenerateSerializer, Immutable, Alias("p2p.admin.MapPolicyPatch.v1")]
public sealed record MapPolicyPatch(
    [property: Id(0)] bool? Critical,
    [property: Id(1), JsonPropertyName("p2pAllowed")] bool? P2PAllowed,
    [property: Id(2)] double? MinScore,
    [property: Id(3)] int? MaxPlayers);

/// <summary>GET /api/v1/sessions?accountId=|charId=|name=: one entry per character found.</summary>
[GenerateSerializer, Immutable, Alias("p2p.admin.SessionDetail.v1")]
public sealed record SessionDetail(
    [property: Id(0)] int CharId,
    [property: Id(1)] int AccountId,
    [property: Id(2)] string? Name,
    [property: Id(3)] SessionState State,
    [property: Id(4)] string? Map,
    [property: Id(5)] string? HostId,
    [property: Id(6)] long Epoch,
    [property: Id(7)] string? TargetMap,
    [property: Id(8)] DateTimeOffset UpdatedAt);

/// <summary>What an operate call did. <see cref="Changed"/> is false when it was already so (idempotent repeat).</summary>
[GenerateSerializer, Immutable, Alias("p2p.admin.AdminResult.v1")]
public sealed record AdminResult(
    [property: Id(0)] string Action,
    [property: Id(1)] string Target,
    [property: Id(2)] bool Changed,
    [property: Id(3)] IReadOnlyList<MapMove> Moved,
    [property: Id(4)] string Message);

[GenerateSerializer, Immutable, Alias("p2p.admin.MapMove.v1")]
public sealed record MapMove(
    [property: Id(0)] string Map,
    [property: Id(1)] string? FromHost,
    [property: Id(2)] string? ToHost,
    [property: Id(3)] HostKind? ToKind,
    [property: Id(4)] long Epoch);
