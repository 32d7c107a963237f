using DtiPortal.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Units;

/// <summary>Issue 2: the unit tree page in a real browser — expand, search without accents, details with predecessors.</summary>
[Collection(BrowserCollection.Name)]
public class UnitTreePageTests : IAsyncLifetime
{
    private readonly BrowserFixture _browser;
    private AppServer _app = default!;
    private IPage _page = default!;

    public UnitTreePageTests(BrowserFixture browser) => _browser = browser;

    public async Task InitializeAsync()
    {
        _app = await AppServer.StartAsync();
        _page = await _browser.Browser.NewPageAsync(new BrowserNewPageOptions { Locale = "vi-VN" });
        await SignIn.AsAsync(_page, _app, "xa.lacdao", "/don-vi");
    }

    public async Task DisposeAsync()
    {
        await _page.CloseAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Tree_WhenProvinceAndDistrictAreExpanded_ShowsTheCommunes()
    {
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Đơn vị hành chính");
        await _page.GetByTestId("toggle-33").ClickAsync();
        await _page.GetByTestId("toggle-33-VL").ClickAsync();
        await Expect(_page.GetByTestId("node-33-VL-LDA")).ToContainTextAsync("Lạc Đạo");
        await Expect(_page.Locator("[data-testid=toggle-33-VL]").Locator("..")).ToHaveAttributeAsync("aria-expanded", "true");

        await _page.GetByTestId("node-33-VL-LDA").ClickAsync();
        await Expect(_page.GetByTestId("detail-code")).ToHaveTextAsync("33-VL-LDA");
        await Expect(_page.GetByTestId("unit-details")).ToContainTextAsync("Hưng Yên");
        await Expect(_page.GetByTestId("successors")).ToContainTextAsync("Lạc Đạo (33-LD2025) — Sáp nhập");
        Assert.EndsWith("/don-vi/", _page.Url[.._page.Url.LastIndexOf('/')] + "/");
    }

    [Fact]
    public async Task Search_WithoutAccents_FindsLacDao_AndShowsPredecessors()
    {
        await _page.GetByTestId("unit-search").FillAsync("lac dao");
        var hits = _page.GetByTestId("search-hits");
        await Expect(hits).ToContainTextAsync("Lạc Đạo");
        await Expect(hits).ToContainTextAsync("Hưng Yên › Văn Lâm");

        await hits.Locator("button", new LocatorLocatorOptions { HasText = "33-LD2025" }).ClickAsync();
        await Expect(_page.GetByTestId("detail-code")).ToHaveTextAsync("33-LD2025");
        var predecessors = _page.GetByTestId("predecessors");
        await Expect(predecessors.Locator("li")).ToHaveCountAsync(3);
        await Expect(predecessors).ToContainTextAsync("Chỉ Đạo");
        await Expect(predecessors).ToContainTextAsync("Đại Đồng");

        // Following a predecessor link opens it, and a reload keeps the selection (it is in the URL).
        await predecessors.GetByText("Xã Đại Đồng").ClickAsync();
        await Expect(_page.GetByTestId("detail-code")).ToHaveTextAsync("33-VL-DDO");
        await _page.ReloadAsync();
        await Expect(_page.GetByTestId("detail-code")).ToHaveTextAsync("33-VL-DDO");
    }

    [Fact]
    public async Task Search_WhenNothingMatches_SaysSo()
    {
        await _page.GetByTestId("unit-search").FillAsync("khong co don vi nay");
        await Expect(_page.Locator("main")).ToContainTextAsync("Không có đơn vị nào khớp");
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
