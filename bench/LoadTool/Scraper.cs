using System.Diagnostics;
using System.Net.Http.Headers;

namespace P2PCluster.LoadTool;

/// <summary>
/// Scrapes a /metrics endpoint as Prometheus does (one kept-alive connection, Prometheus 2's Accept header, the whole
/// body read) and times each scrape from the request to the body's last byte.
/// </summary>
public sealed class Scraper(Uri endpoint) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { Timeout = TimeSpan.FromSeconds(10) };

    public sealed record Scrape(double Milliseconds, int Bytes, int Series);

    public async Task<Scrape> ScrapeAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        request.Headers.Accept.ParseAdd("application/openmetrics-text;version=1.0.0;q=0.5");
        request.Headers.Accept.ParseAdd("application/openmetrics-text;version=0.0.1;q=0.4");
        request.Headers.Accept.ParseAdd("text/plain;version=0.0.4;q=0.3");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.2));
        long started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            int series = 0;
            foreach (var line in body.AsSpan().EnumerateLines())
                if (line.Length > 0 && line[0] != '#') series++;
            return new Scrape(ms, body.Length, series);
        }
        catch (HttpRequestException e)
        {
            throw new LoadToolException($"scraping {endpoint}: {e.Message}", e);
        }
    }

    /// <summary>One scrape's body, for reading its samples (<see cref="Hosting.PrometheusText"/>).</summary>
    public async Task<string> TextAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _http.GetStringAsync(endpoint, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new LoadToolException($"scraping {endpoint}: {e.Message}", e);
        }
    }

    public void Dispose() => _http.Dispose();
}
