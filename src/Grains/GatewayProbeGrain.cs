using Orleans.Concurrency;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains;

/// <summary>Stateless worker: runs on the calling silo, so a probe measures the gateway-to-silo path without a hop.</summary>
[StatelessWorker]
public sealed class GatewayProbeGrain(TimeProvider time) : Grain, IGatewayProbeGrain
{
    public Task<long> PingAsync() => Task.FromResult(time.GetUtcNow().ToUnixTimeMilliseconds());
}
