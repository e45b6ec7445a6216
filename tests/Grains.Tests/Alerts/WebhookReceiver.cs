using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace P2PCluster.Grains.Tests.Alerts;

/// <summary>
/// A real HTTP webhook receiver (Kestrel on 127.0.0.1, a free port) that checks each POST's signature on its own
/// (HMAC-SHA256 of the exact body, as docs/monitoring.md tells receivers to) and can answer 500 or hang.
/// </summary>
public sealed class WebhookReceiver(string secret) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<WebhookDelivery> _requests = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private int _hanging;

    /// <summary>How the next POSTs are answered.</summary>
    public WebhookMode Mode { get; set; } = WebhookMode.Ok;

    /// <summary>Requests being held open right now (mode <see cref="WebhookMode.Hang"/>).</summary>
    public int Hanging => Volatile.Read(ref _hanging);

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync(string secret)
    {
        var receiver = new WebhookReceiver(secret);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/hook", receiver.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver._app = app;
        receiver.Url = new Uri(address + "/hook");
        return receiver;
    }

    /// <summary>Every POST received so far, answered or not.</summary>
    public IReadOnlyList<WebhookDelivery> Requests
    {
        get { lock (_lock) return [.. _requests]; }
    }

    /// <summary>Waits (bounded) until a request matching <paramref name="match"/> has arrived; says what did arrive otherwise.</summary>
    public async Task<WebhookDelivery> WaitForAsync(Func<WebhookDelivery, bool> match, string what, TimeSpan? timeout = null) =>
        (await WaitForCountAsync(match, 1, what, timeout))[0];

    /// <summary>Waits (bounded) until <paramref name="count"/> requests matching <paramref name="match"/> have arrived.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> WaitForCountAsync(Func<WebhookDelivery, bool> match, int count, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                var found = _requests.Where(match).ToList();
                if (found.Count >= count) return found;
                changed = _changed.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)) != changed)
                throw new TimeoutException($"no webhook {what} within the deadline; received: {string.Join(" | ", Requests.Select(r => $"{r.Answer} {r.Body}"))}");
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        byte[] body = buffer.ToArray();
        string expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
        bool signed = context.Request.Headers["X-P2P-Signature"].ToString() == expected;
        var mode = Mode;
        var delivery = new WebhookDelivery(Encoding.UTF8.GetString(body), JsonDocument.Parse(body).RootElement.Clone(), signed,
            context.Request.Headers["X-P2P-Event"].ToString(), mode, DateTime.UtcNow);
        Record(delivery);
        switch (mode)
        {
            case WebhookMode.Ok:
                context.Response.StatusCode = 204;
                break;
            case WebhookMode.Fail:
                context.Response.StatusCode = 500;
                break;
            case WebhookMode.Hang:
                // Never answered: held until the sender gives up (its timeout) or the receiver stops.
                Interlocked.Increment(ref _hanging);
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }
                finally
                {
                    Interlocked.Decrement(ref _hanging);
                }
                break;
        }
    }

    private void Record(WebhookDelivery delivery)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _requests.Add(delivery);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
