using DtiPortal.Application.Criteria;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Criteria;

/// <summary>Issue 4: reading the criteria sets in a browser — the list, a points set's tree, a 2361 level table, a version diff.</summary>
[Collection(BrowserCollection.Name)]
public class CriteriaPagesTests : IAsyncLifetime
{
    private readonly BrowserFixture _browser;
    private AppServer _app = default!;
    private IPage _page = default!;

    public CriteriaPagesTests(BrowserFixture browser) => _browser = browser;

    public async Task InitializeAsync()
    {
        _app = await AppServer.StartAsync();
        _page = await _browser.Browser.NewPageAsync(new BrowserNewPageOptions { Locale = "vi-VN" });
        await SignIn.AsAsync(_page, _app, "xa.lacdao", "/bo-chi-so");
    }

    public async Task DisposeAsync()
    {
        await _page.CloseAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task List_ThenHungYen_ShowsCriterionMethodInPlainVietnameseAndMax()
    {
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Bộ chỉ số");
        var row = _page.GetByTestId("set-hung-yen-commune-2024");
        await Expect(row).ToContainTextAsync("3047/QĐ-UBND ngày 29/12/2022");
        await Expect(row).ToContainTextAsync("nạp sẵn");
        await Expect(row).ToContainTextAsync("Cấp xã");

        await row.GetByRole(AriaRole.Link, new() { Name = "Bộ chỉ số đánh giá chuyển đổi số cấp xã tỉnh Hưng Yên" }).ClickAsync();

        await Expect(_page).ToHaveURLAsync(_app.BaseUrl + "/bo-chi-so/hung-yen-commune-2024/1");
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Bộ chỉ số đánh giá chuyển đổi số cấp xã tỉnh Hưng Yên");
        await Expect(_page.GetByTestId("set-max")).ToHaveTextAsync("1.000");
        // seed 003 §6.3: Tỷ lệ hồ sơ xử lý trực tuyến, 40 điểm, ≥ 80% → max, else r/80% × max.
        await Expect(_page.GetByTestId("max-6.3")).ToHaveTextAsync("40");
        await Expect(_page.GetByTestId("method-6.3")).ToHaveTextAsync(
            "Tỷ lệ (b+c)/a; đạt từ 80% trở lên được điểm tối đa, dưới 80% tính theo tỷ lệ (b+c)/a ÷ 80% × điểm tối đa");
        // An input taken from the general information is marked, not asked again.
        await Expect(_page.GetByTestId("node-3.1")).ToContainTextAsync("từ thông tin chung 1.4");
        await Expect(_page.GetByTestId("no-previous")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Mic2361_ShowsTheFiveLevelRequirementsPerCriterion()
    {
        await _page.GotoAsync(_app.BaseUrl + "/bo-chi-so/mic-2361-commune/1");
        var table = _page.GetByTestId("levels-I");
        await Expect(table.Locator("thead th")).ToHaveCountAsync(7); // code, criterion, levels 1–5
        await Expect(table.Locator("thead")).ToContainTextAsync("Mức 5");
        await Expect(table.Locator("thead")).ToContainTextAsync("Toàn diện");
        // seed 002 lines 341–345: I.1 ≥ 50% at level 1, 60% at level 2, 70% at level 3.
        var row = _page.GetByTestId("levels-row-I.1");
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("Tối thiểu 50%");
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("Tối thiểu 60%");
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("Tối thiểu 70%");
    }

    [Fact]
    public async Task NewVersion_ComparisonListsAddedRemovedAndChanged_AndOpensWithTheKeyboard()
    {
        using (var scope = _app.Services.CreateScope())
        {
            var load = scope.ServiceProvider.GetRequiredService<LoadCriteriaSet>();
            Assert.Equal(CriteriaLoadStatus.Stored, (await load.HandleAsync(Yaml(1, "1.1", "Có kế hoạch"), "quan.tri")).Status);
            Assert.Equal(CriteriaLoadStatus.Stored, (await load.HandleAsync(Yaml(2, "1.3", "Có chuyên mục"), "quan.tri")).Status);
        }

        await _page.GotoAsync(_app.BaseUrl + "/bo-chi-so/thu-e2e/2");
        await Browser.WaitForCircuitAsync(_page);
        await Expect(_page.GetByTestId("loaded")).ToContainTextAsync("quan.tri");
        var diff = _page.GetByTestId("diff");
        await Expect(diff.Locator("summary")).ToContainTextAsync("thêm 1, bỏ 1, thay đổi 0");
        await diff.Locator("summary").FocusAsync();
        await _page.Keyboard.PressAsync("Enter");
        await Expect(_page.GetByTestId("diff-added")).ToBeVisibleAsync();
        await Expect(_page.GetByTestId("diff-added")).ToContainTextAsync("1.3 Có chuyên mục");
        await Expect(_page.GetByTestId("diff-removed")).ToContainTextAsync("1.1 Có kế hoạch");
    }

    [Fact]
    public async Task UnknownVersion_SaysSoAndLinksBackToTheList()
    {
        await _page.GotoAsync(_app.BaseUrl + "/bo-chi-so/khong-co-bo-nay/3");
        await Expect(_page.GetByTestId("not-found")).ToContainTextAsync("khong-co-bo-nay");
        await _page.GetByTestId("not-found").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(_page).ToHaveURLAsync(_app.BaseUrl + "/bo-chi-so");
    }

    private static string Yaml(int version, string code, string name) => $$"""
        format: dti-criteria/1
        id: thu-e2e
        version: {{version}}
        name: Bộ thử trình duyệt
        level: commune
        decision: { number: {{version}}/QĐ-TEST, date: 2024-01-01, issuer: UBND tỉnh thử }
        maxPoints: 10
        tree:
          - code: "1"
            name: Nhóm một
            max: 10
            children:
              - code: "{{code}}"
                name: {{name}}
                max: 10
                method: yesno

        """;
}
