using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace P2PCluster.Admin;

/// <summary>
/// An RFC 7807 answer (<c>application/problem+json</c>): <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>, and
/// when known the offending <c>field</c> (query parameter, route value or body property) and a stable <c>code</c>.
/// </summary>
public sealed record AdminProblem(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonPropertyName("field"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null,
    [property: JsonPropertyName("code"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code = null) : IResult
{
    public const string ContentType = "application/problem+json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Seconds the client should wait (429); sent as Retry-After.</summary>
    [JsonIgnore]
    public int? RetryAfterSeconds { get; init; }

    public static AdminProblem BadRequest(string field, string detail) =>
        new(TypeOf("InvalidArgument"), "Bad request", StatusCodes.Status400BadRequest, detail, field, "InvalidArgument");

    public static AdminProblem NotFound(string field, string detail) =>
        new(TypeOf("NotFound"), "Not found", StatusCodes.Status404NotFound, detail, field, "NotFound");

    public static AdminProblem Unauthorized(string detail) =>
        new(TypeOf("Unauthorized"), "Unauthorized", StatusCodes.Status401Unauthorized, detail, "Authorization", "Unauthorized");

    public static AdminProblem Forbidden(string detail) =>
        new(TypeOf("Forbidden"), "Forbidden", StatusCodes.Status403Forbidden, detail, "Authorization", "Forbidden");

    public static AdminProblem TooManyFailures(int retryAfterSeconds) =>
        new(TypeOf("TooManyFailedAttempts"), "Too many failed attempts", StatusCodes.Status429TooManyRequests,
            $"too many failed API key attempts from this address; retry in {retryAfterSeconds} s", "Authorization", "TooManyFailedAttempts")
        {
            RetryAfterSeconds = retryAfterSeconds,
        };

    public static AdminProblem Unavailable(string code, string detail) =>
        new(TypeOf(code), "Service unavailable", StatusCodes.Status503ServiceUnavailable, detail, null, code);

    /// <summary>The problem type: a URN per code, listed in docs/admin-api.md.</summary>
    public static string TypeOf(string code) => "urn:p2p:admin:" + code;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Status;
        if (RetryAfterSeconds is { } retry) response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Status == StatusCodes.Status401Unauthorized) response.Headers.WWWAuthenticate = "Bearer";
        response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(response.Body, this, Json, httpContext.RequestAborted);
    }
}
