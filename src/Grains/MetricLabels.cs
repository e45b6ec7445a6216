using P2PCluster.Grains.Interfaces;
using P2PCluster.Protocol;

namespace P2PCluster.Grains;

/// <summary>Label values of the cluster and distribution metrics: lower-case names, one place (docs/monitoring.md lists them).</summary>
public static class MetricLabels
{
    public static string Of(HostKind kind) => HostKinds.Name(kind);

    public static string Of(ClusterHostStatus status) => status switch
    {
        ClusterHostStatus.Online => "online",
        ClusterHostStatus.Suspect => "suspect",
        ClusterHostStatus.Draining => "draining",
        ClusterHostStatus.Banned => "banned",
        _ => "dead",
    };

    public static string Of(ClusterMapState state) => state switch
    {
        ClusterMapState.P2P => "p2p",
        ClusterMapState.Vps => "vps",
        ClusterMapState.Unassigned => "unassigned",
        ClusterMapState.Starting => "starting",
        _ => "disabled",
    };

    public static string Of(FailoverCause cause) => cause switch
    {
        FailoverCause.Dead => "dead",
        FailoverCause.Silent => "silent",
        FailoverCause.Overload => "overload",
        FailoverCause.PlayerReports => "player_reports",
        _ => "operator",
    };
}
