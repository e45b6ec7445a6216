using System.Net;
using P2PCluster.Client;
using P2PCluster.Protocol;

namespace P2PCluster.Chaos;

/// <summary>
/// One player playing through the client library as a game client would: log in at a coordinator (the other one
/// when it fails), resolve its map, enter it on the host, warp to the next map of <paramref name="cycle"/> carrying a
/// state whose zeny grows by one each warp, enter the destination, and so on. A MOVE answering a warp acknowledges
/// the save of that state (the host saved it through the database proxy or the coordinator's session carries it);
/// every later ENTERED must carry at least that zeny, or an acknowledged save was lost. Failures are counted and
/// retried after a short pause, never thrown.
/// </summary>
public sealed class ChaosPlayer(string user, string password, uint charId, string firstMap, IReadOnlyList<IPEndPoint> coordinators, byte[] coordinatorKey,
    IReadOnlyList<string> cycle, int index)
{
    // A game client gives up on a silent coordinator or host after a few seconds; a warp waits longer, since the host
    // saves first (its database proxy call has 5 s).
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5), WarpTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(300), Retry = TimeSpan.FromMilliseconds(250);

    private const ProtocolError InvalidTransition = ProtocolError.ClusterBase + 6;

    private readonly Lock _lock = new();
    private readonly List<string> _lost = [];
    private readonly List<DateTime> _entered = [];
    private readonly List<string> _cycle = [.. cycle];
    private string _map = firstMap;
    private int _coordinator = index % 2;

    public uint CharId => charId;
    public string User => user;

    /// <summary>The highest zeny a MOVE acknowledged.</summary>
    public uint AcknowledgedZeny { get; private set; }

    public int Warps { get; private set; }
    public int Failures { get; private set; }
    public string? LastFailure { get; private set; }

    /// <summary>Acknowledged saves found missing on a later ENTERED.</summary>
    public IReadOnlyList<string> Lost
    {
        get { lock (_lock) return [.. _lost]; }
    }

    /// <summary>The first ENTERED at or after <paramref name="since"/>, if any yet.</summary>
    public DateTime? EnteredSince(DateTime since)
    {
        lock (_lock) return _entered.FirstOrDefault(at => at >= since) is { } at && at != default ? at : null;
    }

    /// <summary>The longest time between two ENTEREDs (or from the last one to <paramref name="now"/>) overlapping [from, now].</summary>
    public TimeSpan LongestGap(DateTime from, DateTime now)
    {
        lock (_lock)
        {
            var times = _entered.Append(now).ToList();
            var gap = TimeSpan.Zero;
            for (int i = 1; i < times.Count; i++)
                if (times[i] >= from && times[i] - times[i - 1] > gap) gap = times[i] - times[i - 1];
            return gap;
        }
    }

    /// <summary>
    /// Plays until <paramref name="stop"/>; then gets onto a map if it is between two and leaves it, unless
    /// <paramref name="abandon"/> comes first.
    /// </summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken abandon)
    {
        PlayerClient? client = null;
        RouteInfo? next = null;
        string? warpTarget = null;
        try
        {
            while (true)
            {
                try
                {
                    if (next is null)
                    {
                        client ??= await LoginAsync();
                        using var timeout = new CancellationTokenSource(RequestTimeout);
                        next = (await client.ResolveAsync(charId, _map, timeout.Token)).Info;
                    }
                    await using var connection = await MapConnection.EnterAsync(next.Value, RequestTimeout);
                    (next, warpTarget, _map) = (null, null, connection.Entered.Map);
                    var state = connection.Entered.State;
                    lock (_lock)
                    {
                        _entered.Add(DateTime.UtcNow);
                        if (state.Zeny < AcknowledgedZeny)
                            _lost.Add($"{DateTime.UtcNow:HH:mm:ss.fff} char {charId} entered {_map} with zeny {state.Zeny}; a MOVE had acknowledged {AcknowledgedZeny}");
                    }
                    if (stop.IsCancellationRequested) return;
                    try
                    {
                        await Task.Delay(Pause, stop); // a player's pace, on purpose: not a wait for anything
                    }
                    catch (OperationCanceledException)
                    {
                        return; // leaves: the connection closes
                    }
                    string to = _cycle[(_cycle.IndexOf(_map) + 1) % _cycle.Count];
                    var saved = state with { Zeny = Math.Max(state.Zeny, AcknowledgedZeny) + 1 };
                    warpTarget = to;
                    next = await connection.WarpAsync(to, saved, WarpTimeout);
                    (_map, warpTarget) = (to, null); // moved: the character is on its way to the destination
                    AcknowledgedZeny = saved.Zeny;
                    Warps++;
                }
                catch (Exception e)
                {
                    Failures++;
                    LastFailure = $"{DateTime.UtcNow:HH:mm:ss.fff} {e.GetType().Name}: {e.Message}";
                    if (e is not RequestRefusedException && next is null && warpTarget is null && client is not null)
                    {
                        await client.DisposeAsync(); // the coordinator failed us: log in again, at the other one
                        client = null;
                        _coordinator++;
                    }
                    // A warp cut short (no MOVE, no REFUSED) may have moved the character anyway: look for it at the
                    // destination next; a resolve refused as the wrong transition looks on the map before.
                    if (warpTarget is not null && e is not RequestRefusedException) _map = warpTarget;
                    else if (warpTarget is null && next is null && e is RequestRefusedException { Code: InvalidTransition })
                        _map = _cycle[(_cycle.IndexOf(_map) + _cycle.Count - 1) % _cycle.Count];
                    (next, warpTarget) = (null, null);
                    try
                    {
                        await Task.Delay(Retry, abandon); // a real player's retry pause, on purpose
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            if (client is not null) await client.DisposeAsync();
        }
    }

    private async Task<PlayerClient> LoginAsync()
    {
        var endpoint = coordinators[_coordinator % coordinators.Count];
        using var timeout = new CancellationTokenSource(RequestTimeout);
        var client = await PlayerClient.ConnectAsync(endpoint, [coordinatorKey], timeout.Token);
        try
        {
            await client.LoginAsync(user, password, timeout.Token);
            return client;
        }
        catch
        {
            _coordinator++;
            await client.DisposeAsync();
            throw;
        }
    }
}
