using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace P2PCluster.Admin;

/// <summary>
/// Serves the operator page (docs/dashboard.md) at <c>/p2p/dashboard/</c> from the files embedded in this assembly
/// (<c>Dashboard/**</c>): no front-end build step, no key needed for the files (the page asks for one and calls
/// /api/v1 with it).
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>Where the page lives; <c>/p2p/dashboard</c> without the slash redirects here so relative URLs resolve.</summary>
    public const string PagePath = "/p2p/dashboard/";

    private const string ResourcePrefix = "Dashboard/";
    private const string Index = "index.html";

    // The page talks only to this origin and runs only its own files: a key typed into it cannot be sent elsewhere
    // by an injected script or style, and no other site may frame it (clickjacking an operate button).
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly Lazy<FrozenDictionary<string, (byte[] Content, string ContentType, string ETag)>> Files = new(Load);

    /// <summary>Maps GET/HEAD <c>/p2p/dashboard</c>, <c>/p2p/dashboard/</c> and <c>/p2p/dashboard/{asset}</c>.</summary>
    public static IEndpointRouteBuilder MapP2PDashboard(this IEndpointRouteBuilder endpoints)
    {
        // One route: routing matches "/p2p/dashboard", "/p2p/dashboard/" and the files alike (trailing slashes are
        // ignored), so the request's own path tells the page from the bare name.
        endpoints.MapMethods(PagePath + "{**asset}", [HttpMethods.Get, HttpMethods.Head], (HttpContext context, string? asset) =>
            !string.IsNullOrEmpty(asset) ? Serve(context, asset)
            : context.Request.Path.Value?.EndsWith('/') == true ? Serve(context, Index)
            : Results.Redirect($"{context.Request.PathBase}{PagePath}{context.Request.QueryString}"));
        return endpoints;
    }

    /// <summary>The embedded files by their path under <c>/p2p/dashboard/</c> (e.g. <c>js/main.js</c>).</summary>
    internal static IReadOnlyCollection<string> Assets => Files.Value.Keys;

    // Only names found in the assembly's manifest are served: the request's path is a dictionary key, never a file
    // system path, so no "..", encoded slash or backslash can reach anything else.
    private static IResult Serve(HttpContext context, string asset)
    {
        if (!Files.Value.TryGetValue(asset, out var file))
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: "No such file in the operator page.");

        var headers = context.Response.Headers;
        // No fingerprinted names without a build step, so every load revalidates: an upgraded silo never mixes old
        // and new modules, and an unchanged file costs a 304.
        headers.CacheControl = "no-cache";
        headers.ETag = file.ETag;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        if (context.Request.Headers.IfNoneMatch.Any(value => value is not null && value.Split(',').Any(tag => tag.Trim() == file.ETag)))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(file.Content, file.ContentType);
    }

    private static FrozenDictionary<string, (byte[] Content, string ContentType, string ETag)> Load()
    {
        var assembly = typeof(DashboardEndpoints).Assembly;
        var types = new FileExtensionContentTypeProvider();
        var files = new Dictionary<string, (byte[] Content, string ContentType, string ETag)>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            // RecursiveDir uses the build machine's separator.
            string name = resource.Replace('\\', '/');
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal)) continue;
            string asset = name[ResourcePrefix.Length..];
            byte[] content = Read(assembly, resource);
            string type = types.TryGetContentType(asset, out var known) ? known : "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal) || type is "image/svg+xml" or "application/json") type += "; charset=utf-8";
            string etag = $"\"{Convert.ToBase64String(SHA256.HashData(content), 0, 12).Replace('+', '-').Replace('/', '_')}\"";
            files[asset] = (content, type, etag);
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
