using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Admin;

/// <summary>Issue 3 §4: the audit trail as an admin sees it — sign-ins, failures and a commune officer's refused page visit.</summary>
[Collection(BrowserCollection.Name)]
public class AuditLogPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppServer _app = default!;

    public async Task InitializeAsync() => _app = await AppServer.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AuditPage_ShowsFailedSignInAndDeniedAccess_AndFiltersByAction()
    {
        // A commune officer mistypes a password, signs in, then tries the admin page.
        var officer = await browser.Browser.NewContextAsync();
        var page = await officer.NewPageAsync();
        await page.GotoAsync(_app.BaseUrl + "/dang-nhap");
        await page.Locator("#username").FillAsync("xa.lacdao");
        await page.Locator("#password").FillAsync("SaiMatKhau1");
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page.GetByTestId("login-error")).ToBeVisibleAsync();
        await SignIn.AsAsync(page, _app, "xa.lacdao", "/quan-tri/nhat-ky", waitForCircuit: false);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Không có quyền truy cập");
        Assert.Contains("/truy-cap-bi-tu-choi", page.Url);
        await officer.CloseAsync();

        var admin = await browser.Browser.NewContextAsync();
        var adminPage = await admin.NewPageAsync();
        await SignIn.AsAsync(adminPage, _app, "quantri.hungyen", "/quan-tri/nhat-ky");
        await Expect(adminPage.Locator("h1")).ToHaveTextAsync("Nhật ký hệ thống");
        var table = adminPage.GetByTestId("audit-table");
        await Expect(table).ToContainTextAsync("Đăng nhập thất bại");
        await Expect(table).ToContainTextAsync("Truy cập bị từ chối");
        await Expect(table).ToContainTextAsync("/quan-tri/nhat-ky");

        await adminPage.GetByTestId("audit-action").ClickAsync();
        await adminPage.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Đăng nhập thất bại" }).ClickAsync();
        await Expect(adminPage.GetByTestId("audit-action")).ToHaveValueAsync("Đăng nhập thất bại");
        await adminPage.GetByTestId("audit-search").ClickAsync();
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(table).ToContainTextAsync("xa.lacdao");
        // People by họ tên and login name, the account concerned by its name (never its id), the kind of data in Vietnamese.
        await Expect(table.GetByTestId("audit-who")).ToHaveTextAsync("Nguyễn Thị Hoa (xa.lacdao)");
        await Expect(table.GetByTestId("audit-object")).ToHaveTextAsync("Tài khoản Nguyễn Thị Hoa (xa.lacdao)");
        await Expect(table).Not.ToContainTextAsync(new System.Text.RegularExpressions.Regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}"));

        // Dates are typed as dd/MM/yyyy; nothing was logged before 2020.
        await adminPage.GetByTestId("audit-to").FillAsync("31/12/2019");
        await adminPage.GetByTestId("audit-to").PressAsync("Tab");
        await adminPage.GetByTestId("audit-search").ClickAsync();
        await Expect(adminPage.GetByTestId("audit-empty")).ToContainTextAsync("Không có mục nào khớp với bộ lọc.");
        await Expect(adminPage.GetByTestId("audit-to")).ToHaveValueAsync("31/12/2019");
        await admin.CloseAsync();
    }
}
