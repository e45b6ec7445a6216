using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace P2PCluster.Admin.Tests.Dashboard;

/// <summary>
/// The page's files and a scripted /api/v1 answering in the documented shapes (docs/admin-api.md), with a read key, an
/// operate key and refusals as the real API words them: the page's handling of roles, problem details, unassigned maps
/// and history, checked without a cluster. The real cluster is <see cref="DashboardDemoTests"/>.
/// </summary>
public sealed class StubAdminApi : IAsyncLifetime
{
    public const string OperateKey = "operate-key-0123456789";
    public const string ReadKey = "read-key-0123456789";

    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Operate calls received, as "POST /api/v1/hosts/h1/drain {body}".</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>The query strings of GET /api/v1/hosts, in order.</summary>
    public ConcurrentQueue<string> HostQueries { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _app = builder.Build();
        _app.MapP2PDashboard();
        var api = _app.MapGroup("/api/v1").AddEndpointFilter(async (context, next) =>
        {
            string auth = context.HttpContext.Request.Headers.Authorization.ToString();
            bool write = context.HttpContext.Request.Method != HttpMethods.Get;
            if (auth != $"Bearer {OperateKey}" && auth != $"Bearer {ReadKey}")
                return Problem(401, "Unauthorized", "Missing or unknown API key.", code: "Unauthenticated");
            if (write && auth == $"Bearer {ReadKey}")
                return Problem(403, "Forbidden", "Key 'viewer' has role read; this route needs operate.", code: "Forbidden");
            return await next(context);
        });
        api.MapGet("/summary", () => Results.Json(new
        {
            takenAt = DateTimeOffset.UtcNow,
            silos = new[] { new { address = "127.0.0.1:11111", name = "silo-1", status = "active", startedAt = DateTimeOffset.UtcNow } },
            hosts = new[] { new { kind = "vps", status = "online", count = 1 }, new { kind = "p2p", status = "online", count = 1 } },
            maps = new[] { new { state = "p2P", count = 1 } },
            playersOnline = 3,
            network = Network(),
            activeAlerts = 1,
        }));
        api.MapGet("/network", () => Results.Json(Network()));
        api.MapGet("/hosts", (HttpRequest request, string? status, int offset) =>
        {
            HostQueries.Enqueue(request.QueryString.Value ?? "");
            // A filtered query claims many hosts, so the page has pages to turn.
            return Results.Json(new
            {
                total = status is null ? 2 : 120,
                offset,
                items = new object[] { Host("p2p-host-aaaa", "p2p", "online", 87.5, 2), Host("vps-host-bbbb", "vps", "online", 60, 1) },
            });
        });
        api.MapGet("/maps", () => Results.Json(new
        {
            items = new object[]
            {
                Map("prontera", "assigned", "p2p-host-aaaa", "p2p", 4, "best score 87.5 of 2 candidates"),
                Map("prt_fild08", "unassigned", null, null, 7, "no host may take it: all refused"),
            },
        }));
        api.MapGet("/maps/{name}", (string name) => name != "prontera"
            ? Problem(404, "Not Found", $"No map {name}.", "name", "UnknownMap")
            : Results.Json(new
            {
                summary = Map("prontera", "assigned", "p2p-host-aaaa", "p2p", 4, "best score 87.5 of 2 candidates"),
                configuredPolicy = Policy(),
                policyOverridden = false,
                assignment = new { map = "prontera", hostId = "p2p-host-aaaa", hostKind = "p2p", endpoint = "127.0.0.1:6201", epoch = 4, assignedAt = DateTimeOffset.UtcNow },
                history = new[]
                {
                    new
                    {
                        map = "prontera", epoch = 4L, hostId = "p2p-host-aaaa", kind = "p2p", reason = "best score 87.5 of 2 candidates",
                        decidedAt = DateTimeOffset.UtcNow, score = Score(87.5),
                        candidates = new object[]
                        {
                            new { hostId = "p2p-host-aaaa", kind = "p2p", score = Score(87.5), refused = (string?)null },
                            new { hostId = "p2p-host-cccc", kind = "p2p", score = (object?)null, refused = "over its cpu limit" },
                        },
                    },
                },
            }));
        api.MapGet("/alerts", (string state) => Results.Json(new
        {
            items = state == "active"
                ? new[] { Alert("a1", "map_unassigned", "prt_fild08", "firing", "map prt_fild08 unassigned for 75 s (threshold 60 s)") }
                : [Alert("a0", "vps_share", "", "resolved", "vps share back under 50 %")],
        }));
        api.MapPost("/hosts/{id}/{action}", (string id, string action) =>
        {
            Calls.Enqueue($"POST /api/v1/hosts/{id}/{action}");
            return Results.Json(new { action, target = id, changed = true, moved = new[] { new { map = "prontera", fromHost = id, toHost = "vps-host-bbbb", toKind = "vps", epoch = 5 } }, message = $"host {id} is draining" });
        });
        api.MapPost("/maps/{name}/move", async (string name, HttpRequest request) =>
        {
            string body = await new StreamReader(request.Body).ReadToEndAsync();
            Calls.Enqueue($"POST /api/v1/maps/{name}/move {body}");
            return Problem(400, "Bad request", "Host 'nowhere' is not online.", "to", "InvalidArgument");
        });
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
    }

    private static IResult Problem(int status, string title, string detail, string? field = null, string? code = null) =>
        Results.Json(new { type = $"https://p2pcluster/errors/{code}", title, status, detail, field, code }, statusCode: status, contentType: "application/problem+json");

    private static object Network() => new { p2pPaused = false, pausedAt = (DateTimeOffset?)null, pausedBy = (string?)null, resetGeneration = 0 };

    private static object Policy() => new { critical = false, p2pAllowed = true, maxPlayers = 100, minScore = 0.0 };

    private static object Score(double total) => new { capacity = 0.9, cpu = 0.8, memory = 0.7, network = 0.9, reliability = 1.0, total, latency = 0.5 };

    private static object Host(string id, string kind, string status, double score, int maps) => new
    {
        hostId = id, kind, status, endpoint = "127.0.0.1:6201", score,
        load = new { cpuPercent = 25.0, memoryPercent = 40.0, networkMbps = 2.0, players = 3 },
        capacity = new { maxMaps = 5, maxPlayers = 100, cpuLimitPercent = 80, memoryLimitPercent = 85, networkLimitMbps = 100 },
        maps, approved = true,
    };

    private static object Map(string name, string status, string? host, string? kind, long epoch, string why) => new
    {
        name, policy = Policy(), status, hostId = host, hostKind = kind, epoch,
        instanceState = host is null ? null : "running", players = host is null ? 0 : 3, why, since = DateTimeOffset.UtcNow.AddSeconds(-42),
    };

    private static object Alert(string id, string rule, string subject, string state, string summary) => new
    {
        id, rule, subject, state, value = 75.0, threshold = 60.0, startedAt = DateTimeOffset.UtcNow.AddMinutes(-2),
        firedAt = DateTimeOffset.UtcNow.AddMinutes(-1), endedAt = state == "resolved" ? DateTimeOffset.UtcNow : (DateTimeOffset?)null, summary,
    };

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
