namespace P2PCluster.Hosting;

/// <summary>What an admin API key may do: <c>read</c> the cluster, or also <c>operate</c> it (docs/admin-api.md).</summary>
public enum AdminRole
{
    Read = 0,
    Operate = 1,
}
