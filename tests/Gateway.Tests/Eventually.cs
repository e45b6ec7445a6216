namespace P2PCluster.Gateway.Tests;

/// <summary>Waits for a condition the gateway reaches on its own (a slot released, a rejection counted), with a deadline.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(20);
        }
    }
}
