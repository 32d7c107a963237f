using System.Net;
using System.Text.RegularExpressions;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Shell;

/// <summary>
/// Issue 17: the page's title without an interactive HeadOutlet (Components/DocumentTitle.razor). It comes with the HTML of
/// a prerendered or static page, before any script, and follows navigation inside the circuit, where script sets it.
/// </summary>
[Collection(BrowserCollection.Name)]
public class TitleTests(BrowserFixture browser)
{
    [Fact]
    public async Task Title_ComesWithTheHtml_AndFollowsNavigationInTheCircuit()
    {
        await using var app = await AppServer.StartAsync();
        var page = await browser.Browser.NewPageAsync();

        // A static page: the title is the document's first <title>, in the HTML itself.
        var response = await page.GotoAsync($"{app.BaseUrl}/dang-nhap");
        var html = WebUtility.HtmlDecode(await response!.TextAsync());
        Assert.Matches(new Regex("<head>.*?<title>Đăng nhập — DtiPortal</title>", RegexOptions.Singleline), html);
        await Expect(page).ToHaveTitleAsync("Đăng nhập — DtiPortal");

        // A prerendered interactive page: in the HTML, and still right once the circuit is up.
        await SignIn.AsAsync(page, app, "xa.lacdao", "/danh-gia");
        await Expect(page).ToHaveTitleAsync("Đánh giá của tôi — DtiPortal");

        // In the circuit: the bell's link navigates without a reload (the circuit's mark stays), and the title follows.
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");
        await page.GetByTestId("inbox-bell").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/thong-bao$"));
        await Expect(page).ToHaveTitleAsync("Thông báo — DtiPortal");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the link reloaded the page");
        await page.CloseAsync();
    }
}
