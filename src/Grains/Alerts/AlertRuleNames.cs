namespace P2PCluster.Grains.Alerts;

/// <summary>The built-in rules' names, as in <c>alerts.rules</c>, webhooks and p2p_alerts.rule.</summary>
public static class AlertRuleNames
{
    public const string MapUnassigned = "map_unassigned";
    public const string VpsShare = "vps_share";
    public const string HostChurn = "host_churn";
    public const string HostRefusedWrites = "host_refused_writes";
    public const string TicketRefusals = "ticket_refusals";
    public const string MinSilos = "min_silos";
    public const string DatabaseUnreachable = "database_unreachable";
}
