using P2PCluster.Client;
using P2PCluster.TestSupport;

namespace P2PCluster.Gateway.Tests;

/// <summary>A well-behaved client pinging through the cluster for the whole of a hostile test, proving it keeps being served.</summary>
public sealed class Witness : IAsyncDisposable
{
    private readonly CoordinatorConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _pongs;
    private Exception? _failure;

    private Witness(CoordinatorConnection connection)
    {
        _connection = connection;
        _loop = Task.Run(LoopAsync);
    }

    public static async Task<Witness> StartAsync(GatewayFixture fixture) => new(await fixture.ConnectAsync());

    private async Task LoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await _connection.PingAsync(throughCluster: true, _stop.Token);
                Interlocked.Increment(ref _pongs);
                await Task.Delay(20, _stop.Token); // a steady client's pace, on purpose: not a wait for anything
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    /// <summary>Asserts the witness was answered throughout and still is.</summary>
    public async Task AssertServedAsync()
    {
        try
        {
            await Eventually.TrueAsync(() => Volatile.Read(ref _pongs) > 0 || _failure is not null, "the witness answered", TimeSpan.FromSeconds(10),
                TimeSpan.FromMilliseconds(10));
        }
        catch (TimeoutException)
        {
            // Asserted below, with the failure if there was one.
        }
        await _stop.CancelAsync();
        await _loop;
        Assert.Null(_failure);
        Assert.True(_pongs > 0, "the well-behaved client got no answer during the test");
        var pong = await _connection.PingAsync(throughCluster: true).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(pong.ServerTimeMs > 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _connection.DisposeAsync();
        _stop.Dispose();
    }
}
