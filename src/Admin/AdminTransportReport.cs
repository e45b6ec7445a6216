namespace P2PCluster.Admin;

/// <summary>The plain-HTTP non-loopback URLs <see cref="AdminTransport.Check"/> let through (admin.allow_insecure_http), for the start-up warning.</summary>
public sealed record AdminTransportReport(IReadOnlyList<string> InsecureUrls);
