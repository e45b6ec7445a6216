using System.Net;
using Microsoft.Extensions.Time.Testing;
using P2PCluster.Admin.Auth;
using P2PCluster.Hosting;

namespace P2PCluster.Admin.Tests;

/// <summary><see cref="FailedAttemptLimiter"/> on a fake clock: one window a minute per address.</summary>
public sealed class FailedAttemptLimiterTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-07T06:00:00Z"));

    [Fact]
    public void AnAddressIsBlockedPastTheLimitUntilItsWindowEnds()
    {
        var limiter = new FailedAttemptLimiter(new AdminSettings { MaxFailedAttempts = 2 }, _time);
        var a = IPAddress.Parse("10.0.0.1");
        var b = IPAddress.Parse("10.0.0.2");
        limiter.RecordFailure(a);
        Assert.False(limiter.IsBlocked(a, out _));
        _time.Advance(TimeSpan.FromSeconds(20));
        limiter.RecordFailure(a);
        Assert.True(limiter.IsBlocked(a, out int retry));
        Assert.Equal(40, retry);
        Assert.False(limiter.IsBlocked(b, out _)); // per address
        _time.Advance(TimeSpan.FromSeconds(40));
        Assert.False(limiter.IsBlocked(a, out _));
        limiter.RecordFailure(a); // a new window
        Assert.False(limiter.IsBlocked(a, out _));
    }
}
