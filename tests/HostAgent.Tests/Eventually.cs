namespace P2PCluster.HostAgent.Tests;

/// <summary>Waits for a condition that real time (a process, a socket, a timer) has to bring about, with a deadline and a report of what was seen.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, TimeSpan timeout, Func<string> seen)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"condition not met within {timeout}; seen: {seen()}");
            await Task.Delay(20);
        }
    }
}
