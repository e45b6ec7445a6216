using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace P2PCluster.LoadTool;

/// <summary>
/// The hidden <c>fleet</c> subcommand: simulated host agents in a process of their own, so one scenario can keep
/// more connections open than one process's open-files limit allows (scenario <c>metrics</c> connects 10,000 to each
/// of two silos). It prints <c>fleet: connected …</c> once every host heartbeats, and leaves when its standard input
/// closes (its parent exited or let it go).
/// </summary>
public static class FleetCommand
{
    public const string ConnectedLine = "fleet: connected";
    private const int ConnectParallelism = 32;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMinutes(20);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(IPEndPoint gateway, byte[] coordinatorKey, int hosts, TimeSpan heartbeatInterval, CancellationToken cancellationToken)
    {
        SystemLimits.Check(hosts, descriptorsPerConnection: 1, "--hosts");
        var options = new SimulatedHostOptions(gateway, coordinatorKey) { HeartbeatInterval = heartbeatInterval, Reconnect = TimeSpan.FromMilliseconds(250) };
        var fleet = Enumerable.Range(0, hosts).Select(i => new SimulatedHost(options with { Kind = (byte)(i % 10 == 9 ? 1 : 0) }, (ushort)(20000 + i % 40000))).ToArray();
        try
        {
            var started = Stopwatch.GetTimestamp();
            int retries = 0, connected = 0;
            string? lastError = null;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            try
            {
                await Parallel.ForEachAsync(fleet, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = timeout.Token },
                    async (host, token) =>
                    {
                        // As a real agent does: a refused or timed-out first connect (a busy gateway on a loaded
                        // machine) is tried again after a backoff, until the connect deadline.
                        var backoff = TimeSpan.FromMilliseconds(250);
                        while (true)
                        {
                            try
                            {
                                await host.ConnectAsync(token);
                                int n = Interlocked.Increment(ref connected);
                                if (n % 2000 == 0) Console.WriteLine($"fleet: {n} hosts connected to {gateway} after {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");
                                return;
                            }
                            catch (Exception e) when (e is LoadToolException or TimeoutException or IOException or System.Net.Sockets.SocketException)
                            {
                                Interlocked.Increment(ref retries);
                                lastError = e.Message;
                                await Task.Delay(backoff * (0.8 + 0.4 * Random.Shared.NextDouble()), token);
                                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                            }
                        }
                    });
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new LoadToolException($"fleet: not every one of {hosts} hosts connected to {gateway} within {ConnectTimeout.TotalMinutes:F0} min ({retries} attempts failed, the last with: {lastError})");
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ConnectedLine} {hosts} hosts to {gateway} in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s ({retries} attempts failed and were tried again{(lastError is null ? "" : $", the last with: {lastError}")})"));
            await Console.In.ReadToEndAsync(cancellationToken); // until the parent closes our input
            int reconnected = fleet.Count(h => h.Sessions != 1);
            Console.WriteLine($"fleet: leaving; {reconnected} hosts had to reconnect");
            return 0;
        }
        finally
        {
            await Task.WhenAll(fleet.Select(h => h.DisposeAsync().AsTask()));
        }
    }
}
