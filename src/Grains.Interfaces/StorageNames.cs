namespace P2PCluster.Grains.Interfaces;

/// <summary>Provider names shared by grain classes and silo set-up.</summary>
public static class StorageNames
{
    /// <summary>Grain storage holding map, host and session state.</summary>
    public const string State = "p2p";
}
