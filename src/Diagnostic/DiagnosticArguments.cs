using P2PCluster.Hosting;

namespace P2PCluster.Diagnostic;

/// <summary>The checked options of one run; <see cref="ApiKey"/> is null when none was found (the API then answers 401).</summary>
public sealed record DiagnosticArguments(
    bool Security,
    bool Network,
    bool Performance,
    CoordinatorSettings Settings,
    Uri ApiUrl,
    (string? Key, string Source) ApiKey,
    string Host,
    TimeSpan Timeout,
    int MaxKeyAgeDays,
    int SlowMs,
    bool Json);
