using System.Globalization;
using System.Text.RegularExpressions;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.Playwright;

namespace DtiPortal.E2E.Screenshots;

/// <summary>
/// The pictures in the Vietnamese user guides (docs/user/hinh/*.png), taken from the real app on the demo data as each role
/// sees it. Not part of the test run (Category=Screenshots): scripts/screenshots.sh runs it after a change to the pages.
/// </summary>
[Collection(BrowserCollection.Name)]
public class GuideScreenshots(BrowserFixture browser)
{
    private static readonly string Folder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../docs/user/hinh"));

    [Fact]
    [Trait("Category", "Screenshots")]
    public async Task EveryRole_MainPages_AreCapturedForTheGuides()
    {
        Directory.CreateDirectory(Folder);
        await using var app = await AppServer.StartAsync(new Dictionary<string, string> { ["Email:Mode"] = "None" });

        await using (var anonymous = await browser.Browser.NewContextAsync(Options()))
        {
            var page = await anonymous.NewPageAsync();
            await ShotAsync(page, app.BaseUrl + "/dang-nhap", "dang-nhap", interactive: false);
            await ShotAsync(page, app.BaseUrl + "/ket-qua", "ket-qua-cong-bo", interactive: false);
        }

        int id;
        await using (var officer = await browser.Browser.NewContextAsync(Options()))
        {
            var page = await officer.NewPageAsync();
            await SignIn.AsAsync(page, app, "xa.lacdao", "/danh-gia");
            await ShotAsync(page, app.BaseUrl + "/danh-gia", "danh-gia-cua-toi");
            var href = await page.Locator("a[href*='/danh-gia/']").First.GetAttributeAsync("href") ?? "";
            id = int.Parse(Regex.Match(href, @"/danh-gia/(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
            await ShotAsync(page, $"{app.BaseUrl}/danh-gia/{id}", "nhap-so-lieu");
            await ShotAsync(page, $"{app.BaseUrl}/danh-gia/{id}/bang-tinh", "bang-tinh", optional: true);
        }

        await using (var reviewer = await browser.Browser.NewContextAsync(Options()))
        {
            var page = await reviewer.NewPageAsync();
            await SignIn.AsAsync(page, app, "thamtra.vanlam", "/tham-dinh");
            await ShotAsync(page, app.BaseUrl + "/tham-dinh", "hang-doi-tham-dinh");
            await ShotAsync(page, $"{app.BaseUrl}/tham-dinh/{id}", "tham-dinh");
            await ShotAsync(page, app.BaseUrl + "/tong-quan", "tong-quan");
            await ShotAsync(page, app.BaseUrl + "/bao-cao", "bao-cao");
        }

        await using (var admin = await browser.Browser.NewContextAsync(Options()))
        {
            var page = await admin.NewPageAsync();
            await SignIn.AsAsync(page, app, "quantri.hungyen", "/quan-tri/dot-danh-gia");
            await ShotAsync(page, app.BaseUrl + "/quan-tri/dot-danh-gia", "dot-danh-gia");
            await ShotAsync(page, app.BaseUrl + "/quan-tri/nguoi-dung", "quan-tri-nguoi-dung");
            await ShotAsync(page, app.BaseUrl + "/quan-tri/nhat-ky", "nhat-ky-he-thong");
            await ShotAsync(page, app.BaseUrl + "/bo-chi-so", "bo-chi-so");
            await ShotAsync(page, app.BaseUrl + "/quan-tri/soan-bo-chi-so", "soan-bo-chi-so", optional: true);
            await ShotAsync(page, app.BaseUrl + "/don-vi", "don-vi-hanh-chinh");
            await ShotAsync(page, app.BaseUrl + "/thong-bao", "thong-bao", optional: true);
        }
    }

    private static BrowserNewContextOptions Options() => new() { Locale = "vi-VN", ViewportSize = new ViewportSize { Width = 1366, Height = 900 } };

    private static async Task ShotAsync(IPage page, string url, string name, bool interactive = true, bool optional = false)
    {
        var response = await page.GotoAsync(url);
        if (optional && response is { Status: >= 400 }) return;
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        if (interactive) await Browser.WaitForCircuitAsync(page);
        await page.WaitForTimeoutAsync(700); // charts and the first interactive render settle
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png") });
    }
}
