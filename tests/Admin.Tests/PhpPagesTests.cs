using System.Text.Json;
using P2PCluster.TestSupport;
using Xunit.Abstractions;

namespace P2PCluster.Admin.Tests;

/// <summary>
/// The FluxCP module's pages (modules/p2p + themes/default/p2p) run by php-cli against a live <c>p2p-demo</c> silo, inside
/// stand-ins for FluxCP's template, params, session, auth and CSRF helper (tests/Admin.Tests/php/render_page.php; any
/// PHP warning fails). Every page renders what the API holds; a host's drain posted with the form's token redirects
/// with what it did and the host drains (seen through the API), and the map page disables and enables its map; a wrong
/// token, or an account below P2POperate, changes nothing.
/// </summary>
public sealed class PhpPagesTests(ITestOutputHelper output)
{
    private static string Renderer => Path.Combine(RepoPaths.Root, "tests", "Admin.Tests", "php", "render_page.php");

    [Fact]
    public async Task PagesRenderTheClusterAndTheDrainFormDrainsOnlyWithTokenAndLevel()
    {
        await PhpCli.RequireAsync(curl: true);
        await using var silo = await FluxDemoSilo.StartAsync(output);
        var hosts = await silo.OnlineP2PHostsAsync();
        Assert.True(hosts.Count >= 2, $"the demo should have P2P hosts online: {string.Join(", ", hosts)}");
        string map;
        using (var maps = await silo.GetAsync("/api/v1/maps"))
            map = maps.RootElement.GetProperty("items")[0].GetProperty("name").GetString()!;

        foreach (string action in (string[])["dashboard", "alerts"])
            Assert.Contains("<h2>", (await RenderAsync(silo, action, new { }, null, operate: false)).Html);
        Assert.Contains($"id={hosts[0]}\"", (await RenderAsync(silo, "hosts", new { }, null, operate: false)).Html);
        Assert.Contains($"map={map}\"", (await RenderAsync(silo, "maps", new { }, null, operate: false)).Html);
        Assert.Contains("Placement history", (await RenderAsync(silo, "map", new { map }, null, operate: false)).Html);

        // Buttons only for P2POperate; a host id that is not one comes back escaped in the API's error.
        string target = hosts[1], bystander = hosts[0];
        Assert.DoesNotContain("value=\"drain\"", (await RenderAsync(silo, "host", new { id = target }, null, operate: false)).Html);
        var page = await RenderAsync(silo, "host", new { id = target }, null, operate: true);
        Assert.Contains("value=\"drain\"", page.Html);
        Assert.Contains("name=\"csrf_token\" value=\"token-P2PHost\"", page.Html);
        var hostile = await RenderAsync(silo, "host", new { id = "<b>x</b>" }, null, operate: true);
        Assert.DoesNotContain("<b>x</b>", hostile.Html);
        Assert.Contains("&lt;b&gt;x&lt;/b&gt;", hostile.Html);

        var forged = await RenderAsync(silo, "host", new { id = bystander }, new { op = "drain", csrf_token = "forged" }, operate: true);
        Assert.Equal("rendered", forged.Outcome);
        Assert.Contains("token", forged.Html);
        var belowLevel = await RenderAsync(silo, "host", new { id = bystander }, new { op = "drain", csrf_token = "token-P2PHost" }, operate: false);
        Assert.Equal("denied", belowLevel.Outcome);
        Assert.False(await DrainingAsync(silo, bystander), "a forged or unauthorised form drained the host");

        var drained = await RenderAsync(silo, "host", new { id = target }, new { op = "drain", csrf_token = "token-P2PHost" }, operate: true);
        Assert.True(drained.Outcome == "redirect", $"a successful action should redirect back to the page (post/redirect/get), got {drained.Outcome}: {drained.Html}");
        Assert.Contains("id=" + target, drained.Redirect);
        Assert.Contains(drained.Messages, m => m.Contains(target, StringComparison.Ordinal));
        Assert.True(await DrainingAsync(silo, target), "the drain posted from the page did not drain the host");

        // The map page takes its map out of service and puts it back (P2POperate, with the form's token).
        Assert.Contains("value=\"disable\"", (await RenderAsync(silo, "map", new { map }, null, operate: true)).Html);
        var off = await RenderAsync(silo, "map", new { map }, new { op = "disable", csrf_token = "token-P2PMap" }, operate: true);
        Assert.True(off.Outcome == "redirect", $"a disable should redirect back to the page, got {off.Outcome}: {off.Html}");
        Assert.Equal("disabled", await MapStatusAsync(silo, map));
        Assert.Contains("value=\"enable\"", (await RenderAsync(silo, "map", new { map }, null, operate: true)).Html);
        var on = await RenderAsync(silo, "map", new { map }, new { op = "enable", csrf_token = "token-P2PMap" }, operate: true);
        Assert.True(on.Outcome == "redirect", $"an enable should redirect back to the page, got {on.Outcome}: {on.Html}");
        Assert.NotEqual("disabled", await MapStatusAsync(silo, map));
    }

    private static async Task<string?> MapStatusAsync(FluxDemoSilo silo, string map)
    {
        using var detail = await silo.GetAsync($"/api/v1/maps/{Uri.EscapeDataString(map)}");
        return detail.RootElement.GetProperty("summary").GetProperty("status").GetString();
    }

    private static async Task<bool> DrainingAsync(FluxDemoSilo silo, string hostId)
    {
        using var detail = await silo.GetAsync($"/api/v1/hosts/{Uri.EscapeDataString(hostId)}");
        return detail.RootElement.GetProperty("draining").GetBoolean();
    }

    private async Task<Rendered> RenderAsync(FluxDemoSilo silo, string action, object query, object? post, bool operate)
    {
        var run = await PhpCli.RunAsync(
            [Renderer, action, JsonSerializer.Serialize(query), post is null ? "" : JsonSerializer.Serialize(post), operate ? "1" : "0"],
            new Dictionary<string, string> { ["P2P_ADMIN_API_URL"] = silo.Http, ["P2P_ADMIN_API_KEY"] = silo.Key });
        Assert.True(run.ExitCode == 0, $"render_page.php {action}: {run}");
        using var json = JsonDocument.Parse(run.StandardOutput);
        var root = json.RootElement;
        var rendered = new Rendered(root.GetProperty("outcome").GetString()!, root.GetProperty("html").GetString()!,
            root.GetProperty("redirect").GetString(), root.GetProperty("messages").EnumerateArray().Select(m => m.GetString()!).ToList());
        output.WriteLine($"{action} {JsonSerializer.Serialize(query)} post {(post is null ? "-" : JsonSerializer.Serialize(post))}: {rendered.Outcome}, {rendered.Html.Length} chars, messages [{string.Join(" | ", rendered.Messages)}]");
        return rendered;
    }

    private sealed record Rendered(string Outcome, string Html, string? Redirect, IReadOnlyList<string> Messages);
}
