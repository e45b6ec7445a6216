using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace P2PCluster.Diagnostic;

/// <summary>
/// The admin API as the diagnostic reads it: GET only, each request bounded by the run's timeout. A connection failure
/// or a 5xx throws exit 3, a refused key exit 4; a 404 answers null (a route this cluster does not have).
/// </summary>
public sealed class AdminApi(DiagnosticArguments arguments) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = arguments.Timeout }) { Timeout = arguments.Timeout };

    public Uri BaseUrl => arguments.ApiUrl;

    /// <summary>The silo's Prometheus text at /metrics (served beside the API, no key), or null when metrics are off (404).</summary>
    public async Task<string?> MetricsAsync(CancellationToken cancellationToken)
    {
        var url = new Uri(BaseUrl, "/metrics");
        using var response = await SendAsync(url, withKey: false, cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>GET <paramref name="path"/> (relative to /api/v1/) as JSON; null on 404.</summary>
    public async Task<JsonNode?> GetAsync(string path, CancellationToken cancellationToken)
    {
        var url = new Uri(BaseUrl, path);
        using var response = await SendAsync(url, withKey: true, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new DiagnosticException(ExitCodes.Unreachable, $"admin API {url} answered something that is not JSON: {e.Message}");
        }
    }

    /// <summary>The API server's clock from its Date header (second resolution) and the round trip, for clock skew.</summary>
    public async Task<(DateTimeOffset? ServerTime, TimeSpan RoundTrip, DateTimeOffset LocalMidpoint)> ClockAsync(CancellationToken cancellationToken)
    {
        var before = DateTimeOffset.UtcNow;
        using var response = await SendAsync(new Uri(BaseUrl, "summary"), withKey: true, cancellationToken);
        var after = DateTimeOffset.UtcNow;
        return (response.Headers.Date, after - before, before + (after - before) / 2);
    }

    private async Task<HttpResponseMessage> SendAsync(Uri url, bool withKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (withKey && arguments.ApiKey.Key is { } key) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            string why = e.InnerException is SocketException s ? s.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.TimedOut => "timed out",
                SocketError.HostNotFound => "host not found",
                _ => s.Message,
            } : e.Message;
            throw new DiagnosticException(ExitCodes.Unreachable, $"admin API {url} unreachable: {why}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DiagnosticException(ExitCodes.Unreachable, $"admin API {url} unreachable: no answer within {arguments.Timeout.TotalMilliseconds:0} ms", e);
        }
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            response.Dispose();
            string source = arguments.ApiKey.Key is null ? $"no key given (--api-key-file, {DiagnosticOptions.KeyVariable})" : $"the key from {arguments.ApiKey.Source}";
            throw new DiagnosticException(ExitCodes.Refused, $"admin API {url} refused {source}: {(int)response.StatusCode}");
        }
        if ((int)response.StatusCode >= 500)
        {
            response.Dispose();
            throw new DiagnosticException(ExitCodes.Unreachable, $"admin API {url} answered {(int)response.StatusCode}: the cluster behind it is unavailable");
        }
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
        {
            int status = (int)response.StatusCode;
            response.Dispose();
            throw new DiagnosticException(ExitCodes.Failed, $"admin API {url} answered {status}");
        }
        return response;
    }

    public void Dispose() => _http.Dispose();
}
