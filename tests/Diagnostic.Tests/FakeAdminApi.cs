using System.Net;
using System.Text;
using P2PCluster.TestSupport;

namespace P2PCluster.Diagnostic.Tests;

/// <summary>
/// An HTTP server standing in for a silo's admin API and /metrics, answering canned bodies: for checks whose input a
/// real cluster cannot be made to produce exactly (a histogram with known buckets).
/// </summary>
public sealed class FakeAdminApi : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly IReadOnlyDictionary<string, string> _bodies;
    private readonly Task _serving;

    /// <param name="bodies">Path (with query) → JSON or text body; anything else answers 404.</param>
    public FakeAdminApi(IReadOnlyDictionary<string, string> bodies)
    {
        _bodies = bodies;
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port { get; }
    public string ApiUrl => $"http://127.0.0.1:{Port}/api/v1";

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            string path = context.Request.Url!.PathAndQuery;
            var response = context.Response;
            if (_bodies.TryGetValue(path, out string? body))
            {
                byte[] bytes = Encoding.UTF8.GetBytes(body);
                response.ContentType = path == "/metrics" ? "text/plain; version=0.0.4" : "application/json";
                await response.OutputStream.WriteAsync(bytes);
            }
            else response.StatusCode = 404;
            response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
