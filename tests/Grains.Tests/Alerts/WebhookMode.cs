namespace P2PCluster.Grains.Tests.Alerts;

/// <summary>How <see cref="WebhookReceiver"/> answers.</summary>
public enum WebhookMode { Ok, Fail, Hang }
