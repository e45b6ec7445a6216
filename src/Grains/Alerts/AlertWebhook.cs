using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using P2PCluster.Grains.Interfaces;

namespace P2PCluster.Grains.Alerts;

/// <summary>The JSON body POSTed for a firing or resolution, and its signature (docs/monitoring.md).</summary>
public static class AlertWebhook
{
    /// <summary>Header carrying <c>sha256=</c> and the lower-case hex HMAC-SHA256 of the exact body, keyed with <c>alerts.webhook_secret</c>.</summary>
    public const string SignatureHeader = "X-P2P-Signature";

    /// <summary>Header naming the event: <c>firing</c> or <c>resolved</c>.</summary>
    public const string EventHeader = "X-P2P-Event";

    /// <summary>The body's <c>version</c>: raised only if a field changes meaning or goes away.</summary>
    public const int Version = 1;

    public static byte[] Body(Alert alert, string clusterId)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("version", Version);
            json.WriteString("cluster", clusterId);
            json.WriteString("status", Status(alert));
            json.WriteString("id", alert.Id);
            json.WriteString("rule", alert.Rule);
            json.WriteString("subject", alert.Subject);
            json.WriteNumber("value", alert.Value);
            json.WriteNumber("threshold", alert.Threshold);
            json.WriteString("started_at", Time(alert.StartedAt));
            WriteTime(json, "fired_at", alert.FiredAt);
            WriteTime(json, "ended_at", alert.EndedAt);
            json.WriteString("summary", alert.Summary);
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary><c>sha256=&lt;hex&gt;</c> over exactly <paramref name="body"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Constant-time check of a received <see cref="SignatureHeader"/> value.</summary>
    public static bool Verify(ReadOnlySpan<byte> body, string secret, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(body, secret)), Encoding.ASCII.GetBytes(header));

    public static string Status(Alert alert) => alert.State.ToString().ToLowerInvariant();

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? at)
    {
        if (at is { } t) json.WriteString(name, Time(t));
        else json.WriteNull(name);
    }
}
