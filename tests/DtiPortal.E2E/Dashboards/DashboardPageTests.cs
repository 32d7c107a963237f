using System.Text.RegularExpressions;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Dashboards;

/// <summary>
/// Issue 7 in the browser: the provincial administrator opens /tong-quan, picks the 2024 round of the demo data, sees the
/// charts' tables filled with numbers, drills down from Hưng Yên to the district Văn Lâm, then to one commune's criteria.
/// </summary>
[Collection(BrowserCollection.Name)]
public class DashboardPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppServer _app = default!;
    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public async Task InitializeAsync()
    {
        _app = await AppServer.StartAsync();
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        _page = await _context.NewPageAsync();
        await SignIn.AsAsync(_page, _app, "quantri.hungyen", "/tong-quan");
    }

    public async Task DisposeAsync()
    {
        await _context.CloseAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Dashboard_ShowsTheChartTables_AndDrillsDownFromProvinceToDistrictToCommune()
    {
        SetDefaultExpectTimeout(15_000);
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Tổng quan");

        // The 2024 round (points, three tiers): 7 communes of Văn Lâm, 5 with figures.
        await _page.GetByTestId("round-picker").ClickAsync(); // a MudSelect: its options open in a popover
        await _page.GetByRole(AriaRole.Option, new() { NameRegex = new Regex("^2024") }).ClickAsync();
        await Expect(_page).ToHaveURLAsync(new Regex(@"/tong-quan\?dot=\d+"));
        await Expect(_page.GetByTestId("crumbs")).ToContainTextAsync("Hưng Yên");
        await Expect(_page.GetByTestId("stat-total")).ToHaveTextAsync("7");
        await Expect(_page.GetByTestId("progress-table")).ToContainTextAsync("Văn Lâm");
        await Expect(_page.GetByTestId("score-table").Locator("tbody tr")).ToHaveCountAsync(10); // 100-point bins up to 1.000
        var binned = 0;
        foreach (var cell in await _page.GetByTestId("score-table").Locator("tbody td").AllTextContentsAsync()) binned += int.Parse(cell.Trim());
        Assert.Equal(5, binned);
        await Expect(_page.GetByTestId("weakest-table").Locator("tbody tr")).ToHaveCountAsync(8); // the eight main indices
        await Expect(_page.GetByTestId("weakest-table").Locator("tbody tr").First).ToContainTextAsync(new Regex(@"\d+(,\d+)?%"));
        await Expect(_page.GetByTestId("radar-table").Locator("tbody tr")).ToHaveCountAsync(8);
        await Expect(_page.GetByTestId("ranking-table").Locator("tbody tr")).ToHaveCountAsync(7);
        await Expect(_page.GetByTestId("ranking-xlsx")).ToHaveAttributeAsync("href", new Regex(@"^/api/bang-tinh/xep-hang/\d+\?donVi=\d+$"));

        // Province → district.
        await _page.Locator("[data-testid^='drill-']").First.ClickAsync();
        await Expect(_page).ToHaveURLAsync(new Regex(@"donVi=\d+"));
        await Expect(_page.GetByTestId("crumbs")).ToContainTextAsync("Văn Lâm");
        await Expect(_page.GetByTestId("progress-table").Locator("tbody tr")).ToHaveCountAsync(7);
        await Expect(_page.GetByTestId("progress-table")).ToContainTextAsync("Lạc Đạo");

        // District → commune: its criteria with points and evidence.
        await _page.GetByTestId("progress-table").Locator("a", new LocatorLocatorOptions { HasText = "Như Quỳnh" }).ClickAsync();
        await Expect(_page.Locator("h1")).ToContainTextAsync("Như Quỳnh");
        await Expect(_page.GetByTestId("unit-status")).ToHaveTextAsync("Đã nộp");
        await Expect(_page.GetByTestId("mains-table").Locator("tbody tr")).ToHaveCountAsync(8);
        await Expect(_page.GetByTestId("criteria-table")).ToContainTextAsync("Nhận thức số");
        await Expect(_page.GetByTestId("open-review")).ToHaveAttributeAsync("href", new Regex(@"^/tham-dinh/\d+$"));
    }
}
