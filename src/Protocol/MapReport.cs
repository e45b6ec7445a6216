namespace P2PCluster.Protocol;

/// <summary>One map instance in a heartbeat: which assignment (epoch) it runs under, its state and its players.</summary>
public readonly record struct MapReport(string Map, ulong Epoch, MapRunState State, ushort Players);
