namespace P2PCluster.Gateway.Tests;

/// <summary>
/// A host grain's pushes wait for WELCOME and keep their order (seen from outside: an ASSIGN_MAP pushed between
/// AttachAsync and WELCOME reached the agent instead of WELCOME, and its handshake failed with UnexpectedPacket).
/// </summary>
public sealed class PushGateTests
{
    [Fact]
    public async Task PushesBeforeOpeningAreHeldThenSentInOrderAndLaterOnesGoStraightThrough()
    {
        var gate = new PushGate();
        var sent = new List<string>();
        await gate.SendOrHoldAsync(() => Record(sent, "assign geffen"));
        await gate.SendOrHoldAsync(() => Record(sent, "revoke geffen"));
        Assert.Empty(sent); // nothing before WELCOME

        sent.Add("welcome");
        await gate.OpenAsync();
        await gate.SendOrHoldAsync(() => Record(sent, "assign payon"));
        Assert.Equal(["welcome", "assign geffen", "revoke geffen", "assign payon"], sent);
    }

    [Fact]
    public async Task APushArrivingWhileHeldOnesAreSentWaitsItsTurn()
    {
        var gate = new PushGate();
        var sent = new List<string>();
        var firstSending = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        await gate.SendOrHoldAsync(async () =>
        {
            firstSending.SetResult();
            await releaseFirst.Task;
            sent.Add("first");
        });
        var opening = gate.OpenAsync();
        await firstSending.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var late = gate.SendOrHoldAsync(() => Record(sent, "second")); // arrives while "first" is on its way
        Assert.Empty(sent);
        releaseFirst.SetResult();
        await opening.WaitAsync(TimeSpan.FromSeconds(10));
        await late.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["first", "second"], sent);
    }

    private static Task Record(List<string> sent, string what)
    {
        lock (sent) sent.Add(what);
        return Task.CompletedTask;
    }
}
