namespace P2PCluster.Gateway;

/// <summary>The <c>outcome</c> label of <c>p2p_logins_total</c>.</summary>
public enum LoginOutcome
{
    Ok,
    Failed,
    Blocked,
}
