namespace P2PCluster.HostAgent.Tests;

/// <summary>
/// Port ranges for map instances, below the kernel's ephemeral range (32768+) so that neither FreePort nor outgoing
/// connections hand out a port inside them; each range is used by one test only.
/// </summary>
public static class TestPorts
{
    private static int _next = 20_000 + Random.Shared.Next(0, 200) * 50;

    public static (int Start, int End) Range(int size)
    {
        int start = Interlocked.Add(ref _next, size) - size;
        return (start, start + size - 1);
    }
}
