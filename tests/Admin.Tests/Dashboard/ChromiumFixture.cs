using Microsoft.Playwright;

namespace P2PCluster.Admin.Tests.Dashboard;

/// <summary>
/// Debian's headless Chromium driven by Playwright for .NET (never Playwright's own browser download: the machine has
/// no internet). One browser per test class; each test takes a fresh context (its own sessionStorage).
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException(
                $"{Executable} is missing: install Debian's chromium (`sudo apt-get install -y chromium`; scripts/test.sh installs it). " +
                "Do not run `playwright install`.");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Executable, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = baseAddress.ToString(), ViewportSize = new() { Width = 1366, Height = 900 } });
        return await context.NewPageAsync();
    }

    /// <summary>Where a test keeps its screenshots: TestResults/dashboard/ beside the test assembly (git ignores it).</summary>
    public static string ArtifactPath(string name)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
