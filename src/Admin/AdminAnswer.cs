using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P2PCluster.Grains.Interfaces.Admin;

namespace P2PCluster.Admin;

/// <summary>The answer of an operate route: its <see cref="AdminResult"/> as JSON; the audit reads whether it changed something.</summary>
public sealed record AdminAnswer(AdminResult Result) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var json = httpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        return Results.Json(Result, json).ExecuteAsync(httpContext);
    }
}
