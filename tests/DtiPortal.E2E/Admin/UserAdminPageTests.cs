using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Admin;

/// <summary>Issue 3 §1 in the browser: a provincial admin lists, creates (with field messages), resets and imports users.</summary>
[Collection(BrowserCollection.Name)]
public class UserAdminPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppServer _app = default!;
    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public async Task InitializeAsync()
    {
        _app = await AppServer.StartAsync();
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        _page = await _context.NewPageAsync();
        await SignIn.AsAsync(_page, _app, "quantri.hungyen", "/quan-tri/nguoi-dung");
    }

    public async Task DisposeAsync()
    {
        await _context.CloseAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task CreateUser_ShowsFieldMessages_ThenTheTemporaryPassword_AndResetAsksFirst()
    {
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Người dùng");
        await Expect(_page.GetByTestId("users-grid")).ToContainTextAsync("xa.lacdao");

        await _page.GetByTestId("create-user-link").ClickAsync();
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Tạo người dùng");
        await Browser.WaitForCircuitAsync(_page);
        await _page.GetByTestId("create-submit").ClickAsync();
        await Expect(_page.GetByTestId("create-user-form")).ToContainTextAsync("Nhập tên đăng nhập.");
        await Expect(_page.GetByTestId("create-user-form")).ToContainTextAsync("Họ tên đang để trống.");
        await Expect(_page.GetByTestId("create-user-form")).ToContainTextAsync("Chọn ít nhất một vai trò.");

        await _page.GetByTestId("username").FillAsync("e2e.nguoimoi");
        await _page.GetByTestId("fullname").FillAsync("Người Mới");
        await _page.GetByTestId("unit").ClickAsync();
        await _page.GetByTestId("unit").FillAsync("van lam");
        await _page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Văn Lâm" }).First.ClickAsync();
        await _page.GetByTestId("role-DistrictReviewer").ClickAsync();
        await _page.GetByTestId("create-submit").ClickAsync();
        await Expect(_page.GetByTestId("temp-password")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[A-Za-z2-9]{14,}$"));

        await _page.GetByText("Xem tài khoản").ClickAsync();
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Người Mới");
        await _page.GetByTestId("reset-password").ClickAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Đồng ý" }).ClickAsync();
        await Expect(_page.GetByTestId("temp-password")).ToBeVisibleAsync();
        await Expect(_page.GetByTestId("message")).ToContainTextAsync("Đã đặt lại mật khẩu");
    }

    [Fact]
    public async Task List_FiltersByText_ByRole_AndByUnitWithoutAccents()
    {
        var grid = _page.GetByTestId("users-grid");
        await Expect(grid).ToContainTextAsync("hoidong.hungyen");

        await _page.GetByTestId("user-search").FillAsync("nguyen thi");
        await Expect(grid).Not.ToContainTextAsync("hoidong.hungyen");
        await Expect(grid).ToContainTextAsync("Nguyễn Thị Hoa");
        await _page.GetByTestId("user-search").FillAsync("");
        await Expect(grid).ToContainTextAsync("hoidong.hungyen");

        await _page.GetByTestId("role-filter").ClickAsync();
        await _page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Cán bộ cấp xã" }).ClickAsync();
        await Expect(grid).Not.ToContainTextAsync("hoidong.hungyen");
        await Expect(grid).ToContainTextAsync("Nguyễn Thị Hoa");
        await Expect(grid).ToContainTextAsync("Phạm Minh Đức");

        // Only units still in force are offered: Lạc Đạo after the 2025 merger (33-LD2025), whose officer is Phạm Minh Đức.
        await _page.GetByTestId("unit-filter").ClickAsync();
        await _page.GetByTestId("unit-filter").FillAsync("lac dao");
        await _page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Lạc Đạo (33-LD2025)" }).ClickAsync();
        await Expect(grid).Not.ToContainTextAsync("Nguyễn Thị Hoa");
        await Expect(grid).ToContainTextAsync("Phạm Minh Đức");

        await _page.GetByTestId("user-search").FillAsync("khong co ai");
        await Expect(_page.GetByTestId("users-empty")).ToContainTextAsync("Không có người dùng nào khớp với điều kiện lọc.");
    }

    [Fact]
    public async Task Import_WhenARowIsBad_ListsTheRowAndCreatesNothing_ThenAGoodFileShowsPasswords()
    {
        await _page.GotoAsync(_app.BaseUrl + "/quan-tri/nguoi-dung/nhap-tep");
        await Browser.WaitForCircuitAsync(_page);
        const string header = "Tên đăng nhập,Họ tên,Email,Mã đơn vị,Phòng/ban,Vai trò\n";
        await _page.GetByTestId("user-file").SetInputFilesAsync(new FilePayload
        {
            Name = "nguoi-dung.csv", MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes(header + "e2e.mot,Một,,33-VL,,Cán bộ cấp xã\ne2e.hai,Hai,,ZZ,,Cán bộ cấp xã\n"),
        });
        await Expect(_page.GetByTestId("error-table")).ToContainTextAsync("Không tìm thấy đơn vị có mã 'ZZ'");
        await Expect(_page.GetByTestId("import-errors")).ToContainTextAsync("Không có tài khoản nào được tạo");

        await _page.GetByTestId("user-file").SetInputFilesAsync(new FilePayload
        {
            Name = "nguoi-dung.csv", MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes(header + "e2e.mot,Một,,33-VL,,Cán bộ cấp xã\n"),
        });
        await Expect(_page.GetByTestId("created-table")).ToContainTextAsync("e2e.mot");
        await Expect(_page.GetByTestId("download-csv")).ToHaveAttributeAsync("download", "tai-khoan-moi.csv");
    }
}
