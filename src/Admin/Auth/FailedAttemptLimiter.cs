using System.Net;
using P2PCluster.Hosting;

namespace P2PCluster.Admin.Auth;

/// <summary>
/// Counts wrong API keys per client address in one-minute windows from the first failure; past
/// <c>admin.max_failed_attempts</c> the address is refused (429) until its window ends, even with a right key.
/// </summary>
public sealed class FailedAttemptLimiter(AdminSettings settings, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Addresses tracked at most: past it expired windows are dropped, and if that is not enough, all of them (memory stays bounded).</summary>
    public const int MaxAddresses = 100_000;

    private readonly Dictionary<IPAddress, (DateTimeOffset Start, int Failures)> _windows = [];
    private readonly Lock _lock = new();

    /// <summary>Whether <paramref name="address"/> is refused now, and for how many more seconds.</summary>
    public bool IsBlocked(IPAddress address, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_windows.TryGetValue(address, out var window)) return false;
            var end = window.Start + Window;
            if (now >= end)
            {
                _windows.Remove(address);
                return false;
            }
            if (window.Failures < settings.MaxFailedAttempts) return false;
            retryAfterSeconds = Math.Max(1, (int)Math.Ceiling((end - now).TotalSeconds));
            return true;
        }
    }

    public void RecordFailure(IPAddress address)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_windows.TryGetValue(address, out var window) && now < window.Start + Window)
            {
                _windows[address] = (window.Start, window.Failures + 1);
                return;
            }
            if (_windows.Count >= MaxAddresses)
            {
                foreach (var (key, value) in _windows.Where(w => now >= w.Value.Start + Window).ToList()) _windows.Remove(key);
                if (_windows.Count >= MaxAddresses) _windows.Clear();
            }
            _windows[address] = (now, 1);
        }
    }
}
