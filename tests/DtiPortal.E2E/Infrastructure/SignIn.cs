using DtiPortal.Application.Demo;
using DtiPortal.Application.Identity;
using Microsoft.Playwright;

namespace DtiPortal.E2E.Infrastructure;

public static class SignIn
{
    /// <summary>Signs in through the real form (and the two-factor form for privileged demo accounts), then waits for the circuit.</summary>
    public static Task AsAsync(IPage page, AppServer app, string userName, string returnUrl = "/", bool waitForCircuit = true) =>
        AsAsync(page, app.BaseUrl, userName, returnUrl, waitForCircuit);

    /// <summary>The same against an app running elsewhere (benchmarks start it in its own process).</summary>
    public static async Task AsAsync(IPage page, string baseUrl, string userName, string returnUrl = "/", bool waitForCircuit = true)
    {
        await page.GotoAsync($"{baseUrl}/dang-nhap?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("#password").FillAsync(DemoUsers.Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        if (page.Url.Contains("/dang-nhap/ma-xac-thuc", StringComparison.Ordinal))
        {
            await page.Locator("#code").FillAsync(Totp.Code(DemoUsers.AuthenticatorKey, DateTimeOffset.UtcNow));
            await page.GetByTestId("2fa-submit").ClickAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }
        if (waitForCircuit) await Browser.WaitForCircuitAsync(page);
    }
}
