using System.Text.Json;

namespace P2PCluster.Grains.Tests.Alerts;

/// <summary>One POST the receiver got: its body, whether the signature verified, and how it was answered.</summary>
public sealed record WebhookDelivery(string Body, JsonElement Json, bool Signed, string Event, WebhookMode Answer, DateTime At)
{
    public string Id => Json.GetProperty("id").GetString()!;
    public string Status => Json.GetProperty("status").GetString()!;
    public string Rule => Json.GetProperty("rule").GetString()!;
    public string Subject => Json.GetProperty("subject").GetString()!;
    public bool Accepted => Answer == WebhookMode.Ok;
}
