using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Alerts;

/// <summary>
/// The webhook delivery queue of one silo: <see cref="Enqueue"/> never blocks or throws, so evaluation is never
/// delayed. One worker per URL POSTs in order (a resolution never overtakes its firing), each attempt bounded by
/// <c>alerts.webhook_timeout_ms</c>, retried with exponential backoff up to <c>alerts.webhook_attempts</c>; a slow or
/// failing receiver holds up only its own queue.
/// </summary>
public sealed partial class WebhookDispatcher(IHttpClientFactory clients, IOptions<AlertOptions> options, TimeProvider time, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    /// <summary>The named client (IHttpClientFactory) every POST uses.</summary>
    public const string ClientName = "p2p-alerts";

    private readonly Dictionary<Uri, Channel<Notification>> _queues = options.Value.Webhooks.Distinct()
        .ToDictionary(u => u, _ => Channel.CreateUnbounded<Notification>(new UnboundedChannelOptions { SingleReader = true }));

    public void Enqueue(Alert alert)
    {
        if (_queues.Count == 0) return;
        byte[] body = AlertWebhook.Body(alert, options.Value.ClusterId);
        var notification = new Notification(alert.Id, AlertWebhook.Status(alert), body, AlertWebhook.Sign(body, options.Value.WebhookSecret));
        foreach (var queue in _queues.Values) queue.Writer.TryWrite(notification);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_queues.Select(q => DeliverAllAsync(q.Key, q.Value.Reader, stoppingToken)));

    private async Task DeliverAllAsync(Uri url, ChannelReader<Notification> queue, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var notification in queue.ReadAllAsync(stoppingToken))
                await DeliverAsync(url, notification, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(Uri url, Notification n, CancellationToken stoppingToken)
    {
        var o = options.Value;
        var backoff = o.WebhookBackoff;
        for (int attempt = 1; attempt <= o.WebhookAttempts; attempt++)
        {
            string failure = await PostAsync(url, n, o.WebhookTimeout, stoppingToken);
            if (failure.Length == 0)
            {
                if (attempt > 1) LogDeliveredAfterRetries(logger, n.AlertId, n.Status, url, attempt);
                return;
            }
            if (attempt == o.WebhookAttempts)
            {
                LogGivenUp(logger, n.AlertId, n.Status, url, attempt, failure);
                return;
            }
            LogAttemptFailed(logger, n.AlertId, n.Status, url, attempt, failure, backoff.TotalSeconds);
            await Task.Delay(backoff, time, stoppingToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, o.WebhookMaxBackoff.Ticks));
        }
    }

    /// <summary>One POST; returns why it failed, or "" when the receiver answered 2xx.</summary>
    private async Task<string> PostAsync(Uri url, Notification n, TimeSpan timeout, CancellationToken stoppingToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        attempt.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(n.Body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(AlertWebhook.SignatureHeader, n.Signature);
            request.Headers.Add(AlertWebhook.EventHeader, n.Status);
            var client = clients.CreateClient(ClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            return response.IsSuccessStatusCode ? "" : $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return $"no answer within {timeout.TotalMilliseconds:F0} ms";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }

    private sealed record Notification(string AlertId, string Status, byte[] Body, string Signature);

    [LoggerMessage(EventId = 7120, Level = LogLevel.Warning,
        Message = "Webhook: alert {AlertId} ({Status}) to {Url}, attempt {Attempt} failed: {Failure}; retrying in {DelaySeconds} s")]
    private static partial void LogAttemptFailed(ILogger logger, string alertId, string status, Uri url, int attempt, string failure, double delaySeconds);

    [LoggerMessage(EventId = 7121, Level = LogLevel.Error,
        Message = "Webhook: alert {AlertId} ({Status}) to {Url} given up after {Attempts} attempts: {Failure} (it stays in the alert history)")]
    private static partial void LogGivenUp(ILogger logger, string alertId, string status, Uri url, int attempts, string failure);

    [LoggerMessage(EventId = 7122, Level = LogLevel.Information, Message = "Webhook: alert {AlertId} ({Status}) delivered to {Url} at attempt {Attempt}")]
    private static partial void LogDeliveredAfterRetries(ILogger logger, string alertId, string status, Uri url, int attempt);
}
