using P2PCluster.TestSupport;

namespace P2PCluster.Chaos;

/// <summary>The players of one fault test, each playing in its own task from <see cref="Start"/> to <see cref="StopAsync"/>.</summary>
public sealed class PlayerFleet(IReadOnlyList<ChaosPlayer> players)
{
    private readonly CancellationTokenSource _stop = new(), _abandon = new();
    private Task[] _running = [];

    public IReadOnlyList<ChaosPlayer> Players => players;

    public void Start() => _running = [.. players.Select(p => Task.Run(() => p.RunAsync(_stop.Token, _abandon.Token)))];

    /// <summary>
    /// Waits until every player has entered a map at or after <paramref name="since"/>; returns when the last one did,
    /// or null when <paramref name="timeout"/> passed first (<see cref="Waiting"/> says who).
    /// </summary>
    public async Task<DateTime?> AllEnteredSinceAsync(DateTime since, TimeSpan timeout)
    {
        var (times, all) = await Eventually.UntilAsync(() => players.Select(p => p.EnteredSince(since)).ToList(), t => t.All(entered => entered is not null),
            timeout, TimeSpan.FromMilliseconds(50));
        return all ? times.Max() : null;
    }

    /// <summary>The players that have not entered a map since <paramref name="since"/>, with their last failure.</summary>
    public string Waiting(DateTime since) => string.Join("\n", players.Where(p => p.EnteredSince(since) is null)
        .Select(p => $"  char {p.CharId}: {p.Failures} failures, last: {p.LastFailure}"));

    /// <summary>Every player leaves the map it is on (finishing a warp first); those still stuck after <paramref name="timeout"/> are abandoned.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        _stop.Cancel();
        var all = Task.WhenAll(_running);
        if (await Task.WhenAny(all, Task.Delay(timeout)) != all) _abandon.Cancel();
        await all;
    }
}
