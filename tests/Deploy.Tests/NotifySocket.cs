using System.Net.Sockets;
using System.Text;

namespace P2PCluster.Deploy.Tests;

/// <summary>
/// The service manager's end of the sd_notify protocol: a Unix datagram socket a program finds in
/// <c>NOTIFY_SOCKET</c>, recording every assignment it sends (<c>READY=1</c>, <c>STOPPING=1</c>, <c>STATUS=…</c>).
/// </summary>
public sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("p2p-notify-");
    private readonly List<(DateTime At, string Assignment)> _received = [];
    private readonly List<(Func<string, bool> Matches, TaskCompletionSource<DateTime> Seen)> _waiters = [];
    private readonly Task _receiving;

    public NotifySocket()
    {
        Path = System.IO.Path.Combine(_folder.FullName, "notify.sock");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        _receiving = ReceiveAsync();
    }

    /// <summary>The value for <c>NOTIFY_SOCKET</c>.</summary>
    public string Path { get; }

    /// <summary>Every assignment received so far, in order, with the (UTC) time it arrived.</summary>
    public IReadOnlyList<(DateTime At, string Assignment)> Received
    {
        get { lock (_received) return [.. _received]; }
    }

    /// <summary>
    /// Waits for <paramref name="assignment"/> (e.g. <c>READY=1</c>) and returns when it arrived; fails with what was
    /// received and <paramref name="output"/> on <paramref name="timeout"/>, or when <paramref name="exited"/> completes first.
    /// </summary>
    public Task<DateTime> WaitForAsync(string assignment, TimeSpan timeout, Task exited, Func<string> output) =>
        WaitForAsync(assignment, received => received == assignment, timeout, exited, output);

    /// <summary>As <see cref="WaitForAsync(string, TimeSpan, Task, Func{string})"/>, for the first assignment that starts with <paramref name="prefix"/>.</summary>
    public Task<DateTime> WaitForPrefixAsync(string prefix, TimeSpan timeout, Task exited, Func<string> output) =>
        WaitForAsync(prefix + "…", received => received.StartsWith(prefix, StringComparison.Ordinal), timeout, exited, output);

    private async Task<DateTime> WaitForAsync(string assignment, Func<string, bool> matches, TimeSpan timeout, Task exited, Func<string> output)
    {
        TaskCompletionSource<DateTime> seen;
        lock (_received)
        {
            foreach (var (at, received) in _received)
                if (matches(received)) return at;
            seen = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((matches, seen));
        }
        var winner = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout));
        if (winner == seen.Task) return await seen.Task;
        // A datagram sent just before the program exited may still be in the socket's buffer, unread by the receive
        // loop (CI saw "no STOPPING=1 (the program exited); received [READY=1, STOPPING=1]"): give the loop a moment.
        if (winner == exited && await Task.WhenAny(seen.Task, Task.Delay(TimeSpan.FromSeconds(2))) == seen.Task) return await seen.Task;
        string why = winner == exited ? "the program exited" : $"timed out after {timeout}";
        throw new TimeoutException($"no {assignment} on NOTIFY_SOCKET ({why}); received [{string.Join(", ", Received.Select(r => r.Assignment))}]. Output:\n{output()}");
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        while (true)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            var at = DateTime.UtcNow;
            // One datagram may carry several newline-separated assignments.
            foreach (string assignment in Encoding.UTF8.GetString(buffer, 0, length).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                lock (_received)
                {
                    _received.Add((at, assignment));
                    for (int i = _waiters.Count - 1; i >= 0; i--)
                    {
                        if (!_waiters[i].Matches(assignment)) continue;
                        _waiters[i].Seen.TrySetResult(at);
                        _waiters.RemoveAt(i);
                    }
                }
            }
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _receiving.Wait(TimeSpan.FromSeconds(5));
        _folder.Delete(recursive: true);
    }
}
