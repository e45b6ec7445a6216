using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P2PCluster.Grains.Interfaces.Admin;

namespace P2PCluster.Admin.Endpoints;

/// <summary>
/// A host page written as JSON once: the service hands out the same <see cref="HostPage"/> instance for the same query
/// while its host list is current (<c>HostViewCache</c>), so the bytes are kept with that instance and go away with it.
/// Operators' pages and FluxCP poll the same few pages; on a network of 10,000 hosts each is 30 KB of JSON.
/// </summary>
public static class HostPageJson
{
    private static readonly ConditionalWeakTable<HostPage, byte[]> Written = [];

    /// <summary>The page as the API's JSON (the same bytes <c>Results.Ok</c> would write).</summary>
    public static IResult Result(HttpContext context, HostPage page)
    {
        var bytes = Written.GetValue(page, p =>
            JsonSerializer.SerializeToUtf8Bytes(p, context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions));
        return Results.Bytes(bytes, "application/json; charset=utf-8");
    }
}
