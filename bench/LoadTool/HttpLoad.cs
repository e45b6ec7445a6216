using System.Diagnostics;

namespace P2PCluster.LoadTool;

/// <summary>
/// Closed-loop GETs of one path: <c>workers</c> requests in flight on one kept-alive client, each body read whole and
/// each request timed from send to last byte. A non-2xx answer stops the run with its status and the start of its body.
/// </summary>
public sealed class HttpLoad(HttpClient http, string path, int workers)
{
    public string Path => path;

    /// <summary>Runs for <paramref name="duration"/>; a request under way when it ends is finished and counted.</summary>
    public async Task<HttpLoadResult> RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var latencies = new LatencyHistogram[workers];
        var bytes = new long[workers];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long started = Stopwatch.GetTimestamp();
        stop.CancelAfter(duration);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(i => WorkAsync(i, stop.Token)));
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        cancellationToken.ThrowIfCancellationRequested();
        var total = new LatencyHistogram();
        foreach (var latency in latencies) total.Add(latency);
        return new HttpLoadResult(total.Count, seconds, total, bytes.Sum());

        async Task WorkAsync(int worker, CancellationToken token)
        {
            var latency = latencies[worker] = new LatencyHistogram();
            while (!token.IsCancellationRequested)
            {
                long sent = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
                byte[] body = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                latency.Record(Stopwatch.GetElapsedTime(sent));
                if (!response.IsSuccessStatusCode)
                {
                    string head = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300));
                    throw new LoadToolException($"GET {path}: HTTP {(int)response.StatusCode}: {head}");
                }
                bytes[worker] += body.Length;
            }
        }
    }
}
