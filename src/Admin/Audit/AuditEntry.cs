namespace P2PCluster.Admin.Audit;

/// <summary>One operate call: who (the key's name), what, on what, when, and how it ended.</summary>
/// <param name="Result"><c>changed</c>, <c>unchanged</c>, or <c>refused &lt;status&gt; &lt;code&gt;</c> (e.g. <c>refused 403 Forbidden</c>).</param>
public sealed record AuditEntry(DateTimeOffset At, string KeyName, string Action, string Target, string Result);
