namespace P2PCluster.Admin.Endpoints;

/// <summary>A list answer: <c>{"items": [...]}</c> (maps, sessions, alerts, audit).</summary>
public sealed record ItemList<T>(IReadOnlyList<T> Items);
