using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using P2PCluster.Admin.Audit;
using P2PCluster.Hosting;

namespace P2PCluster.Admin.Auth;

/// <summary>
/// Guards every /api/v1 route but the OpenAPI document: 429 while the address has too many failed attempts, 401 for a
/// missing or wrong <c>Authorization: Bearer</c> key (a wrong one counts as a failure), 403 for a read key on an operate
/// route. Runs the route, turning any exception into a problem (never a stack trace), and writes the audit row of
/// every operate call, refused ones included.
/// </summary>
public sealed partial class AdminAuthFilter(
    AdminKeyring keyring,
    FailedAttemptLimiter limiter,
    IAdminAudit audit,
    TimeProvider time,
    ILogger<AdminAuthFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var operation = http.GetEndpoint()?.Metadata.GetMetadata<AdminOperation>() ?? new AdminOperation(AdminRole.Operate, "unknown");
        var address = ClientAddress(http);
        if (limiter.IsBlocked(address, out int retryAfter)) return AdminProblem.TooManyFailures(retryAfter);

        string? presented = BearerKey(http.Request.Headers.Authorization.ToString(), out bool malformed);
        if (presented is null && !malformed)
            return AdminProblem.Unauthorized("missing API key: send 'Authorization: Bearer <key>'");
        var key = presented is null ? null : keyring.Find(presented);
        if (key is null)
        {
            limiter.RecordFailure(address);
            LogRefusedKey(logger, address.ToString(), http.Request.Path);
            return AdminProblem.Unauthorized(malformed ? "the Authorization header is not 'Bearer <key>'" : "wrong API key");
        }
        AdminCaller.Set(http, key);

        if (operation.Role == AdminRole.Operate && !key.CanOperate)
        {
            var forbidden = AdminProblem.Forbidden($"the key '{key.Name}' has the read role; this route needs operate");
            await RecordAsync(http, key, operation, forbidden);
            return forbidden;
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            result = AdminErrors.ToProblem(e);
            if (result is AdminProblem { Status: >= 500 } problem) LogFailed(logger, e, http.Request.Method, http.Request.Path, problem.Code ?? "");
        }
        if (operation.Role == AdminRole.Operate) await RecordAsync(http, key, operation, result);
        return result;
    }

    private async Task RecordAsync(HttpContext http, AdminKey key, AdminOperation operation, object? result)
    {
        string outcome = result switch
        {
            AdminAnswer answer => answer.Result.Changed ? "changed" : "unchanged",
            AdminProblem problem => $"refused {problem.Status} {problem.Code}".TrimEnd(),
            _ => "done",
        };
        var entry = new AuditEntry(time.GetUtcNow(), key.Name, operation.Action ?? "unknown", Target(http), outcome);
        try
        {
            // Not the request's token: the action happened, so its row is written even if the caller went away.
            await audit.RecordAsync(entry, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogAuditFailed(logger, e, entry.Action, entry.Target, entry.KeyName, entry.Result);
        }
    }

    private static string Target(HttpContext http)
    {
        var values = http.Request.RouteValues;
        foreach (string name in (string[])["hostId", "name", "charId"])
            if (values.TryGetValue(name, out object? value) && value is string s) return s;
        return "network";
    }

    private static IPAddress ClientAddress(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress ?? IPAddress.None;
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    /// <summary>The key of <c>Bearer &lt;key&gt;</c>; null with <paramref name="malformed"/> false when there is no header.</summary>
    private static string? BearerKey(string header, out bool malformed)
    {
        malformed = false;
        if (string.IsNullOrWhiteSpace(header)) return null;
        const string scheme = "Bearer ";
        if (header.Length > scheme.Length && header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            string key = header[scheme.Length..].Trim();
            if (key.Length > 0) return key;
        }
        malformed = true;
        return null;
    }

    [LoggerMessage(EventId = 7300, Level = LogLevel.Warning, Message = "Admin API: wrong API key from {Address} for {Path}")]
    private static partial void LogRefusedKey(ILogger logger, string address, string path);

    [LoggerMessage(EventId = 7301, Level = LogLevel.Error, Message = "Admin API: {Method} {Path} failed ({Code})")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, string path, string code);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Error,
        Message = "Admin API: could not write the audit row of {Action} {Target} by key {Key} ({Result})")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, string action, string target, string key, string result);
}
