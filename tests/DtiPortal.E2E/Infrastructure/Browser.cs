using Microsoft.Playwright;

namespace DtiPortal.E2E.Infrastructure;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, or DTI_CHROMIUM), headless, driven by Playwright. Never
/// `playwright install`: it downloads a browser, which this network refuses (STACK.md).
/// </summary>
public static class Browser
{
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable("DTI_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(executable))
            throw new InvalidOperationException($"Chromium not found at {executable}: apt-get install -y chromium (or set DTI_CHROMIUM).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        return (playwright, browser);
    }

    /// <summary>Waits until the Blazor circuit is connected, so clicks reach the server.</summary>
    public static Task WaitForCircuitAsync(IPage page) =>
        page.WaitForFunctionAsync("() => window.__dtiCircuitUp === true",
            null, new PageWaitForFunctionOptions { Timeout = 20_000 });
}

/// <summary>One browser for all tests of a class (launching Chromium costs ~1 s).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync() => (_playwright, Browser) = await Infrastructure.Browser.LaunchAsync();

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
