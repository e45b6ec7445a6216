using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace P2PCluster.Admin.Tests.Dashboard;

/// <summary>
/// The page's answers to the real API's refusals, on a silo process with a read key and an operate key configured by
/// hash (<see cref="AdminSiloFixture"/>): a wrong key is refused with the API's reason and forgotten, a read key sees
/// the cluster and, on its first action, is told it may only read, and the actions go away.
/// </summary>
[Collection(AdminSiloCollection.Name)]
public sealed class DashboardRolesTests(AdminSiloFixture silo, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private async Task<IPage> OpenAsync(string key)
    {
        var page = await chromium.NewPageAsync(new Uri(silo.Silo.BaseUrl));
        await page.GotoAsync("/p2p/dashboard");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        return page;
    }

    [Fact]
    public async Task TheRealApisWrongKeyRefusalIsShownAndTheKeyForgotten()
    {
        var page = await OpenAsync("wrong-key-for-the-dashboard-test-000000");
        await Expect(page.Locator("#problem")).ToContainTextAsync("The API key was refused (401)");
        await Expect(page.GetByLabel("API key")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('p2p.admin.key')"));
    }

    [Fact]
    public async Task TheRealApisReadKeySeesTheClusterAndIsToldActionsNeedOperate()
    {
        var page = await OpenAsync(AdminSiloFixture.ReadKey);
        await Expect(page.Locator("#network-state")).ToContainTextAsync("P2P placement is running");
        await Expect(page.Locator("#maps-table tbody tr").First).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Emergency failover" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Fail over to VPS" }).ClickAsync();
        await Expect(page.Locator("#problem")).ToContainTextAsync("This key may only read (403)");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Emergency failover" })).ToBeHiddenAsync();
        await Expect(page.Locator("#key-role")).ToContainTextAsync("read only");
        await Expect(page.Locator("#network-state")).ToContainTextAsync("P2P placement is running");
    }
}
