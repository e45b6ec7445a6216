using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>
/// Operators' decisions on a host — approve, ban, drain — and what each changes: the state is written and the directory
/// entry refreshed; a ban, or an approval withdrawn while approval is required, ends the host's session and moves its
/// maps; a drain moves its maps and keeps it connected. A decision already in force changes nothing and writes nothing.
/// </summary>
public sealed class HostOperatorActions(HostGrainContext host, HostLink link, HostEvacuation evacuation, bool requireApproval)
{
    public async Task SetApprovedAsync(bool approved)
    {
        var s = host.State();
        if (s.Approved == approved) return;
        s.Approved = approved;
        await host.Write();
        await host.Publish(true); // operators' host list shows the approval
        if (!approved && requireApproval && host.IsLive)
            await CutOffAsync(HostStatus.Offline, ClusterError.HostNotApproved, $"host {host.HostId} is no longer approved");
    }

    public async Task SetBannedAsync(bool banned)
    {
        if (banned == (host.State().Status == HostStatus.Banned)) return;
        if (banned)
        {
            await CutOffAsync(HostStatus.Banned, ClusterError.HostBanned, $"host {host.HostId} is banned");
            return;
        }
        host.State().Status = HostStatus.Offline;
        await host.Write();
        await host.Publish(true); // listed as offline again
        host.ReportStatus();
    }

    public async Task SetDrainingAsync(bool draining)
    {
        var s = host.State();
        if (s.Draining == draining) return;
        s.Draining = draining;
        if (host.IsLive) s.Status = draining ? HostStatus.Draining : HostStatus.Online;
        await host.Write();
        await host.Publish(true);
        if (draining) await evacuation.EvacuateAsync(RevocationReason.Drained, FailoverCause.Operator);
        host.ReportStatus();
    }

    /// <summary>An operator's decision ends the host's session: it is closed, and its maps move.</summary>
    private async Task CutOffAsync(HostStatus status, ClusterError code, string message)
    {
        var s = host.State();
        s.CloseSession(host.Time.GetUtcNow(), failure: false, reason: null);
        s.Status = status;
        await host.Write();
        link.Close(code, message);
        await evacuation.EvacuateAsync(RevocationReason.Reassigned, FailoverCause.Operator);
        host.ReportStatus();
    }
}
