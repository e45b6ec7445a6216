namespace P2PCluster.Control;

/// <summary>A host's standing in a state file: approved, banned, or both.</summary>
public sealed record HostEntry(string HostId, bool Approved, bool Banned)
{
    public string Describe() => $"{(Approved ? "approved" : "not approved")}, {(Banned ? "banned" : "not banned")}";
}
