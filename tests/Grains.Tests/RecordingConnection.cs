using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Tests;

/// <summary>A host connection (the gateway's observer) that records what the host grain sent through it.</summary>
public sealed class RecordingConnection : IHostConnection
{
    public List<MapOrder> Assigned { get; } = [];
    public List<MapRevocation> Revoked { get; } = [];
    public List<ClusterError> Closed { get; } = [];

    public Task CloseAsync(ClusterError code, string message)
    {
        Closed.Add(code);
        return Task.CompletedTask;
    }

    public Task AssignAsync(MapOrder order)
    {
        Assigned.Add(order);
        return Task.CompletedTask;
    }

    public Task RevokeAsync(MapRevocation revocation)
    {
        Revoked.Add(revocation);
        return Task.CompletedTask;
    }
}
