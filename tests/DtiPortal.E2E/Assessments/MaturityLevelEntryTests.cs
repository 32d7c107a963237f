using System.Globalization;
using System.Text.RegularExpressions;
using DtiPortal.Application.Assessments;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using DtiPortal.Web.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Assessments;

/// <summary>
/// Issue 5: the maturity level (Decision 2361) changes as the commune officer types, with what the next level still needs.
/// The merged commune's 2025 round uses mic-2361-commune; I.1 asks ≥ 50 % at level 1, ≥ 60 % at level 2 … 100 % at level 4–5.
/// </summary>
[Collection(BrowserCollection.Name)]
public class MaturityLevelEntryTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppServer _app = default!;
    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(15_000);
        _app = await AppServer.StartAsync();
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await _context.CloseAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task CommuneOfficer_TypesAPercentage_AndTheLevelMovesWithIt()
    {
        await SignIn.AsAsync(_page, _app, "xa.lacdao2025", "/danh-gia");
        var link = _page.Locator("[data-testid^='open-']").First;
        var href = await link.GetAttributeAsync("href") ?? "";
        var id = int.Parse(Regex.Match(href, @"/danh-gia/(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        await FillEverythingAtItsBestExceptAsync(id, "I.1");

        await _page.GotoAsync($"{_app.BaseUrl}/danh-gia/{id}");
        await Browser.WaitForCircuitAsync(_page);
        var level = _page.GetByTestId("level");
        await Expect(level).ToContainTextAsync("Chưa đạt mức 1");

        await _page.GetByTestId("input-I.1").FillAsync("55");
        await _page.GetByTestId("input-I.1").BlurAsync();
        await Expect(level).ToContainTextAsync("Mức 1 – Khởi động");
        await Expect(_page.GetByTestId("next-level")).ToContainTextAsync("I.1");

        await _page.GetByTestId("input-I.1").FillAsync("72,5");
        await _page.GetByTestId("input-I.1").BlurAsync();
        await Expect(level).ToContainTextAsync("Mức 3 – Cơ bản");

        await _page.GetByTestId("input-I.1").FillAsync("100");
        await _page.GetByTestId("input-I.1").BlurAsync();
        await Expect(level).ToContainTextAsync("Mức 5 – Toàn diện");
        await Expect(_page.GetByTestId("save-indicator")).ToHaveTextAsync("Tất cả thay đổi đã được lưu");

        // Saved on the server: a reload shows the same figure and level.
        await _page.ReloadAsync();
        await Browser.WaitForCircuitAsync(_page);
        await Expect(_page.GetByTestId("input-I.1")).ToHaveValueAsync(new Regex("^100"));
        await Expect(level).ToContainTextAsync("Mức 5 – Toàn diện");
    }

    /// <summary>Every other value of the set at the best answer (100 %, yes, plenty), stored as colleagues would, behind the page.</summary>
    private async Task FillEverythingAtItsBestExceptAsync(int id, string except)
    {
        using var scope = _app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem();
        var entry = await scope.ServiceProvider.GetRequiredService<AssessmentQueries>().GetEntryAsync(id);
        var save = scope.ServiceProvider.GetRequiredService<SaveValue>();
        foreach (var a in entry.Set.ValueAddresses.Where(a => a.General is null))
        {
            var stored = entry.Values.GetValueOrDefault(a.Address);
            var text = a.Address == except ? null
                : a.IsList ? "5" : a.OptionCount > 0 ? "1"
                : a.Type == Domain.Criteria.InputType.Boolean ? "true" : "100"; // 100 % or a count of 100
            if (text is null && stored?.Value is null) continue;
            var result = await save.HandleAsync(id, a.Address, text, stored?.Version ?? 0);
            Assert.True(result.Saved, $"{a.Address}: {result.Error}");
        }
    }
}
