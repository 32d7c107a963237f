using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Shell;

/// <summary>ADR-001: with the 9.0 blazor.web.js, our MutationObserver must still open the Vietnamese reconnect dialog.</summary>
[Collection(BrowserCollection.Name)]
public class ReconnectTests(BrowserFixture browser)
{
    [Fact]
    public async Task ReconnectDialog_WhenServerStopsUnderOpenPage_AppearsInVietnamese()
    {
        await using var app = await AppServer.StartAsync();
        var page = await browser.Browser.NewPageAsync();
        await SignIn.AsAsync(page, app, "xa.lacdao", "/don-vi");
        var dialog = page.Locator("#components-reconnect-modal");
        await Expect(dialog).ToBeHiddenAsync();

        await app.StopAsync();

        await Expect(dialog).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(dialog).ToContainTextAsync("Mất kết nối với máy chủ");
        Assert.True(await dialog.EvaluateAsync<bool>("d => d.open"));
        await page.CloseAsync();
    }
}
