using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace P2PCluster.Admin.Endpoints;

/// <summary>Reads a small JSON object body, property by property, so a problem can name the property at fault.</summary>
public static class JsonBody
{
    /// <summary>Largest body accepted, in bytes.</summary>
    public const int MaxBytes = 4096;

    /// <summary>The body's properties, or a problem (field <c>body</c>) when it is not one JSON object; unknown names are refused.</summary>
    public static async Task<(Dictionary<string, JsonElement>? Properties, AdminProblem? Problem)> ReadObjectAsync(
        HttpRequest request, IReadOnlyCollection<string> allowed, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes) return (null, AdminProblem.BadRequest("body", $"larger than {MaxBytes} bytes"));
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes) return (null, AdminProblem.BadRequest("body", $"larger than {MaxBytes} bytes"));
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return (null, AdminProblem.BadRequest("body", "a JSON object is required"));
        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (null, AdminProblem.BadRequest("body", "must be a JSON object"));
            var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!allowed.Contains(property.Name))
                    return (null, AdminProblem.BadRequest(property.Name, $"unknown property '{property.Name}' (known: {string.Join(", ", allowed)})"));
                properties[property.Name] = property.Value.Clone();
            }
            return (properties, null);
        }
        catch (JsonException e)
        {
            return (null, AdminProblem.BadRequest("body", $"not valid JSON: {e.Message}"));
        }
    }
}
