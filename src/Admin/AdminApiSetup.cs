using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using P2PCluster.Admin.Audit;
using P2PCluster.Admin.Auth;
using P2PCluster.Admin.Endpoints;
using P2PCluster.Hosting;

namespace P2PCluster.Admin;

/// <summary>Adds and maps the admin HTTP API under /api/v1 (docs/admin-api.md).</summary>
public static class AdminApiSetup
{
    public const string Prefix = "/api/v1";
    public const string OpenApiPath = "/api/v1/openapi.json";
    private const string SchemeName = "bearer";

    /// <summary>
    /// Checks the transport (<see cref="AdminTransport"/>), loads the keys (the development key on the embedded default)
    /// and registers the API's services. Throws <see cref="ConfigurationException"/> naming the key at fault.
    /// </summary>
    public static IServiceCollection AddP2PAdminApi(this IServiceCollection services, CoordinatorSettings settings)
    {
        var insecure = AdminTransport.Check(settings);
        var keyring = AdminKeyring.Load(settings);
        services.AddSingleton(keyring);
        services.AddSingleton(new AdminTransportReport(insecure));
        services.AddSingleton(settings.Admin);
        services.AddSingleton<FailedAttemptLimiter>();
        services.AddSingleton<AdminAuthFilter>();
        services.AddSingleton<IAdminAudit>(settings.Database.IsEmbedded
            ? new InMemoryAdminAudit()
            : new MariaDbAdminAudit(settings.Database.ConnectionString));
        services.AddHostedService<AdminApiReporter>();
        services.AddKeySetStore(settings);
        services.ConfigureHttpJsonOptions(o => AdminJson.Configure(o.SerializerOptions));
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "P2PCluster admin API",
                    Version = "v1",
                    Description = "Operate a P2PCluster: send 'Authorization: Bearer <key>' (roles read and operate). Errors are application/problem+json. See docs/admin-api.md.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An admin API key (admin.api_keys in p2p.conf); role read or operate.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<AdminOperation>().FirstOrDefault() is { } admin)
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] });
                    operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                    operation.Extensions["x-p2p-role"] = new JsonNodeExtension(JsonValue.Create(admin.Role == AdminRole.Operate ? "operate" : "read"));
                }
                foreach (var query in metadata.OfType<AdminQueryParameter>())
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = query.Name,
                        In = ParameterLocation.Query,
                        Description = query.Description,
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    });
                }
                if (metadata.OfType<AdminRequestBody>().FirstOrDefault() is { } body)
                {
                    var schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken);
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
                    };
                }
            });
        });
        return services;
    }

    /// <summary>Maps every route under /api/v1 behind <see cref="AdminAuthFilter"/>, and the OpenAPI document (no key).</summary>
    public static IEndpointRouteBuilder MapP2PAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(OpenApiPath); // document "v1", the default when the pattern names none
        var api = app.MapGroup(Prefix);
        api.AddEndpointFilter(async (context, next) =>
            await context.HttpContext.RequestServices.GetRequiredService<AdminAuthFilter>().InvokeAsync(context, next));
        // Anything else under /api/v1 (a typo, a wrong method) answers a problem too, not an empty 404 or 405.
        app.Map(Prefix + "/{**rest}", (HttpContext context) => AdminProblem.NotFound("path",
                $"no route {context.Request.Method} {context.Request.Path}; the routes are listed in {OpenApiPath}"))
            .ExcludeFromDescription();
        HostEndpoints.Map(api);
        MapEndpoints.Map(api);
        ClusterEndpoints.Map(api);
        api.MapStateEndpoints();
        api.MapKeys();
        api.MapReachability();
        return app;
    }
}
