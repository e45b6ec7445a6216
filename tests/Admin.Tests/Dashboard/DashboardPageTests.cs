using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace P2PCluster.Admin.Tests.Dashboard;

/// <summary>
/// The operator page in headless Chromium against <see cref="StubAdminApi"/>: what it shows, how it treats a wrong key,
/// a read key and a refused action (the problem's detail on screen), and that the key stays in the tab's session.
/// </summary>
public sealed class DashboardPageTests(ChromiumFixture chromium, StubAdminApi api) : IClassFixture<ChromiumFixture>, IClassFixture<StubAdminApi>
{
    private async Task<(IPage Page, List<string> Errors)> OpenAsync(string key)
    {
        var page = await chromium.NewPageAsync(api.BaseAddress);
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error" && !message.Text.Contains("status of 40", StringComparison.Ordinal)) errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync("/p2p/dashboard");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        return (page, errors);
    }

    [Fact]
    public async Task AnOperateKeyShowsHostsMapsWhyAlertsAndHistoryAndDrains()
    {
        var (page, errors) = await OpenAsync(StubAdminApi.OperateKey);
        var hosts = page.Locator("#hosts-table tbody");
        await Expect(hosts.Locator("tr")).ToHaveCountAsync(2);
        await Expect(hosts.Locator("tr").First).ToContainTextAsync("p2p-host-aaaa");
        await Expect(hosts.Locator("tr").First).ToContainTextAsync("87.5");
        await Expect(hosts.Locator("tr").First).ToContainTextAsync("2 / 5");

        // The unassigned map comes first and stands out; the assigned one says where and why.
        var unassigned = page.Locator("#maps-table tbody tr").First;
        await Expect(unassigned).ToHaveClassAsync("unassigned");
        await Expect(unassigned).ToContainTextAsync("UNASSIGNED");
        await Expect(page.Locator("#maps-count")).ToContainTextAsync("1 unassigned");
        var prontera = page.Locator("#maps-table tbody tr[data-key='prontera']");
        await Expect(prontera).ToContainTextAsync("best score 87.5 of 2 candidates");
        await Expect(prontera).ToContainTextAsync("p2p-host-aaaa");

        await Expect(page.Locator("#alerts-active tbody")).ToContainTextAsync("map prt_fild08 unassigned for 75 s");
        await Expect(page.Locator("#alerts-history tbody")).ToContainTextAsync("vps_share");
        await Expect(page.Locator("#network-state")).ToContainTextAsync("P2P placement is running");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Orleans Dashboard" })).ToHaveAttributeAsync("href", "../../dashboard/");

        await page.GetByRole(AriaRole.Button, new() { Name = "Placement history of prontera" }).ClickAsync();
        await Expect(page.Locator("#history")).ToContainTextAsync("over its cpu limit");
        await Expect(page.Locator("#history")).ToContainTextAsync("Epoch 4: p2p-host-aaaa (p2p)");

        await page.GetByRole(AriaRole.Button, new() { Name = "Drain host p2p-host-aaaa" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToContainTextAsync("Moved: prontera → vps-host-bbbb (vps) epoch 5");
        Assert.Contains("POST /api/v1/hosts/p2p-host-aaaa/drain", api.Calls);
        string shot = ChromiumFixture.ArtifactPath("stub-api.png");
        await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        Console.WriteLine($"screenshot: {shot}");

        // The key lives in this tab's session only, and survives a reload there.
        Assert.Equal(StubAdminApi.OperateKey, await page.EvaluateAsync<string>("sessionStorage.getItem('p2p.admin.key')"));
        Assert.Equal(0, await page.EvaluateAsync<int>("localStorage.length"));
        await page.ReloadAsync();
        await Expect(page.Locator("#hosts-table tbody tr")).ToHaveCountAsync(2);
        await Expect(page.GetByLabel("API key")).ToBeHiddenAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task AWrongKeyIsRefusedWithTheReasonAndForgotten()
    {
        var (page, _) = await OpenAsync("not-a-key");
        await Expect(page.Locator("#problem")).ToContainTextAsync("The API key was refused (401): Missing or unknown API key.");
        await Expect(page.GetByLabel("API key")).ToBeVisibleAsync();
        await Expect(page.Locator("#main")).ToBeHiddenAsync();
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('p2p.admin.key')"));
    }

    [Fact]
    public async Task AReadKeySeesTheClusterAndAnOperateAttemptSaysWhyAndHidesActions()
    {
        var (page, _) = await OpenAsync(StubAdminApi.ReadKey);
        await Expect(page.Locator("#hosts-table tbody tr")).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Button, new() { Name = "Drain host vps-host-bbbb" }).ClickAsync();
        await Expect(page.Locator("#problem")).ToContainTextAsync("This key may only read (403): Key 'viewer' has role read");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Drain host vps-host-bbbb" })).ToBeHiddenAsync();
        await Expect(page.Locator("#key-role")).ToContainTextAsync("read only");
    }

    [Fact]
    public async Task ARefusedMoveShowsTheProblemDetailAndField()
    {
        var (page, errors) = await OpenAsync(StubAdminApi.OperateKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Move map prontera" }).ClickAsync();
        await page.GetByLabel("Host id").FillAsync("nowhere");
        await page.GetByRole(AriaRole.Button, new() { Name = "Move", Exact = true }).ClickAsync();
        await Expect(page.Locator("#problem")).ToContainTextAsync("Host 'nowhere' is not online. (field: to)");
        Assert.Contains("POST /api/v1/maps/prontera/move {\"to\":\"nowhere\"}", api.Calls);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TheHistoryOfAMapTheApiNoLongerKnowsClosesWithoutAnError()
    {
        var (page, errors) = await OpenAsync(StubAdminApi.OperateKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Placement history of prt_fild08" }).ClickAsync();
        await Expect(page.Locator("#history")).ToBeHiddenAsync();
        await Expect(page.Locator("#hosts-table tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#problem")).ToBeHiddenAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task HostFiltersAndPagesAreAskedOfTheApi()
    {
        var (page, _) = await OpenAsync(StubAdminApi.OperateKey);
        await Expect(page.Locator("#hosts-range")).ToHaveTextAsync("1–2 of 2");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Next page" })).ToBeDisabledAsync();
        await page.GetByLabel("Kind").SelectOptionAsync("p2p");
        await page.GetByLabel("Status").SelectOptionAsync("draining");
        await Expect(page.Locator("#hosts-range")).ToHaveTextAsync("1–2 of 120");
        Assert.Contains("?offset=0&limit=50&status=draining&kind=p2p", api.HostQueries);
        await page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Expect(page.Locator("#hosts-range")).ToHaveTextAsync("51–52 of 120");
        Assert.Contains("?offset=50&limit=50&status=draining&kind=p2p", api.HostQueries);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Previous page" })).ToBeEnabledAsync();
    }

    [Fact]
    public async Task EmergencyFailoverAsksFirstAndCancelDoesNothing()
    {
        var (page, _) = await OpenAsync(StubAdminApi.OperateKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Emergency failover" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("every map on a P2P host moves to VPS");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        Assert.DoesNotContain(api.Calls, call => call.Contains("network", StringComparison.Ordinal));
    }
}
