namespace P2PCluster.Grains.Interfaces;

/// <summary>Answers a through-the-cluster ping: proves a gateway reaches a live silo. Stateless, runs wherever it is called.</summary>
[Alias("p2p.IGatewayProbeGrain")]
public interface IGatewayProbeGrain : IGrainWithIntegerKey
{
    /// <summary>Returns the answering silo's clock in Unix milliseconds.</summary>
    [Alias("PingAsync")]
    Task<long> PingAsync();
}
