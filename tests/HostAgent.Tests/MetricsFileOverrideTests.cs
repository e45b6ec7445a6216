using Microsoft.Extensions.Logging.Abstractions;
using P2PCluster.HostAgent.Metrics;
using P2PCluster.Protocol;

namespace P2PCluster.HostAgent.Tests;

public sealed class MetricsFileOverrideTests
{
    [Fact]
    public void FileValuesReplaceTheMeasuredOnesOnEverySample()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "cpu=95\nmemory=40.5\nnetwork=150  # Mbit/s\n");
            var sampler = new MetricsSampler(new ProcMetrics(), new MetricsFileOverride(file), TimeSpan.FromMilliseconds(50),
                TimeSpan.FromSeconds(1), TimeProvider.System, NullLogger<MetricsSampler>.Instance);
            Assert.Equal(new HeartbeatLoad(950, 405, 150_000), sampler.Sample());

            // Read again on the next sample; a key left out is measured again.
            File.WriteAllText(file, "cpu=10\n");
            var load = sampler.Sample();
            Assert.Equal(100, load.CpuPermille);
            Assert.NotEqual(405, load.MemoryPermille);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void BadOrMissingFileKeepsTheMeasuredValuesAndSaysWhy()
    {
        var measured = new HeartbeatLoad(1, 2, 3);
        Assert.Equal(measured, new MetricsFileOverride("/nonexistent/metrics").Apply(measured, out string? problem));
        Assert.NotNull(problem);

        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "cpu=lots\nheat=3\nmemory=200\n");
            var load = new MetricsFileOverride(file).Apply(measured, out problem);
            Assert.Equal(measured with { MemoryPermille = 1000 }, load);
            Assert.Contains("unknown key 'heat'", problem);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
