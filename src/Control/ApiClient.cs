using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace P2PCluster.Control;

/// <summary>
/// The admin API over HTTP (docs/admin-api.md): JSON in and out, the key as a bearer token. Failures become
/// <see cref="ControlException"/>: exit 3 when the API cannot be reached or the cluster did not answer (503), exit 4
/// with the problem's title, detail and field when the API refused.
/// </summary>
public sealed class ApiClient(ConnectionSettings settings) : IDisposable
{
    private readonly HttpClient _http = Create(settings);

    public Uri BaseUrl => settings.BaseUrl;

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>Sends <paramref name="body"/> (or none) and answers the JSON the API returned.</summary>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, "api/v1/" + path.TrimStart('/'));
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ControlException(ExitCodes.Unreachable, $"admin API at {settings.BaseUrl} unreachable: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ControlException(ExitCodes.Unreachable,
                $"admin API at {settings.BaseUrl}: no answer to {method} /api/v1/{path.TrimStart('/')} within {settings.Timeout.TotalSeconds:0} s (--timeout)");
        }
        using (response)
        {
            string text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    using var document = JsonDocument.Parse(text);
                    return document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    throw new ControlException(ExitCodes.Unreachable, $"{settings.BaseUrl} answered {(int)response.StatusCode} but not with JSON: is it a P2PCluster admin API?");
                }
            }
            var problem = ReadProblem(response.StatusCode, text);
            int exit = (int)response.StatusCode >= 500 ? ExitCodes.Unreachable : ExitCodes.Refused;
            string hint = response.StatusCode == HttpStatusCode.Unauthorized ? $" (key from {settings.KeyOrigin})" : "";
            throw new ControlException(exit, $"{method} /api/v1/{path.TrimStart('/')}: {problem}{hint}", problem);
        }
    }

    public void Dispose() => _http.Dispose();

    private static ApiProblem ReadProblem(HttpStatusCode status, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
                return new ApiProblem((int)status, Text(root, "title") ?? status.ToString(), Text(root, "detail") ?? "", Text(root, "field"), Text(root, "code"));
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's error page): the status says enough.
        }
        return new ApiProblem((int)status, status.ToString(), text.Length > 200 ? text[..200] : text, null, null);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static HttpClient Create(ConnectionSettings settings)
    {
        string url = settings.BaseUrl.ToString();
        var http = new HttpClient
        {
            BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/"),
            Timeout = settings.Timeout,
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Key);
        http.DefaultRequestHeaders.UserAgent.ParseAdd("p2p-control/1");
        return http;
    }
}
