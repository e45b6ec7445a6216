namespace P2PCluster.Control;

/// <summary>One change a restore makes: a host's standing, a map's policy or a map disabled (kind <c>disabled</c>), from what the cluster has to what the file says.</summary>
public sealed record RestoreChange(string Kind, string Target, string From, string To, HostEntry? Host, PolicyEntry? Policy);
