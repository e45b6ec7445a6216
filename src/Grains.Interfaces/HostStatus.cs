namespace P2PCluster.Grains.Interfaces;

/// <summary>Life-cycle of a host node as the cluster sees it.</summary>
public enum HostStatus : byte
{
    /// <summary>Known but not connected.</summary>
    Offline = 0,
    /// <summary>Connected and eligible for maps.</summary>
    Online = 1,
    /// <summary>Connected; its maps are being moved away and it takes no new ones.</summary>
    Draining = 2,
    /// <summary>Refused by the operator; never eligible again until unbanned.</summary>
    Banned = 3,
}
