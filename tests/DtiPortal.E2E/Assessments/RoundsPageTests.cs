using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Assessments;

/// <summary>Issue 5: a provincial admin sees the rounds, gets field messages from the create form, extends a round with a reason.</summary>
[Collection(BrowserCollection.Name)]
public class RoundsPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppServer _app = default!;
    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public async Task InitializeAsync()
    {
        _app = await AppServer.StartAsync();
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        _page = await _context.NewPageAsync();
        await SignIn.AsAsync(_page, _app, "quantri.hungyen", "/quan-tri/dot-danh-gia");
    }

    public async Task DisposeAsync()
    {
        await _context.CloseAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Rounds_CreateShowsFieldMessages_AndExtendAsksForAReason()
    {
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Đợt đánh giá");
        await Expect(_page.GetByTestId("rounds")).ToContainTextAsync("Hưng Yên");

        await _page.GetByTestId("round-create").ClickAsync();
        await Expect(_page.GetByTestId("create-round-form")).ToContainTextAsync("Nhập tên đợt đánh giá.");
        await Expect(_page.GetByTestId("create-round-form")).ToContainTextAsync("Chọn bộ chỉ số.");

        await _page.Locator("[data-testid^='extend-']").First.ClickAsync();
        await Expect(_page.GetByTestId("round-dialog")).ToBeVisibleAsync();
        await _page.GetByTestId("round-confirm").ClickAsync();
        await Expect(_page.GetByTestId("round-dialog-error")).ToHaveTextAsync("Ghi lý do.");
        await _page.GetByTestId("round-reason").FillAsync("Mạng chập chờn ở các xã vùng sâu");
        await _page.GetByTestId("round-confirm").ClickAsync();
        await Expect(_page.GetByTestId("message")).ToContainTextAsync("Đã gia hạn nhập số liệu");
    }
}
