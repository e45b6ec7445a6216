namespace P2PCluster.Admin;

/// <summary>The silo registered no <see cref="P2PCluster.Grains.Interfaces.Admin.IClusterAdmin"/>: the API answers 503 AdminUnavailable.</summary>
public sealed class AdminServiceMissingException()
    : Exception("the cluster admin service is not registered in this silo (services.AddClusterAdmin())");
