namespace P2PCluster.Grains.Interfaces;

/// <summary>Whether a map currently has a host.</summary>
public enum MapStatus : byte
{
    Unassigned = 0,
    Assigned = 1,
    /// <summary>Taken out of service by the operator; never assigned.</summary>
    Disabled = 2,
}
