using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Assessments;

/// <summary>
/// Issue 15 in the browser: after the entry deadline the commune officer's page is read-only and says which date passed;
/// the district reviewer gives Lạc Đạo an extension with a reason on /tham-dinh/gia-han; after a reload the officer sees
/// the new date and the reason and saves a figure again. The demo round's deadline is moved into the past behind the page.
/// </summary>
[Collection(BrowserCollection.Name)]
public class DeadlineTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppServer _app = default!;
    private IBrowserContext _officer = default!;
    private IBrowserContext _reviewer = default!;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(15_000);
        _app = await AppServer.StartAsync();
        _officer = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        _reviewer = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
    }

    public async Task DisposeAsync()
    {
        await _officer.CloseAsync();
        await _reviewer.CloseAsync();
        await _app.DisposeAsync();
    }

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));

    private static string Vn(DateOnly d) => d.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Lạc Đạo's draft in the demo's 2024 round; that round's entry deadline is set to <paramref name="entry"/>.</summary>
    private async Task<int> LacDaoWithDeadlineAsync(DateOnly entry)
    {
        await using var conn = new NpgsqlConnection(_app.ConnectionString);
        await conn.OpenAsync();
        await using var find = new NpgsqlCommand("""
            select a.id, a.round_id from assessments a join units u on u.id = a.unit_id join assessment_rounds r on r.id = a.round_id
            where u.code = '33-VL-LDA' and r.year = 2024 and a.status = 'Draft'
            """, conn);
        int id, round;
        await using (var reader = await find.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync(), "the demo data has a draft for Lạc Đạo in 2024");
            (id, round) = (reader.GetInt32(0), reader.GetInt32(1));
        }
        await using var update = new NpgsqlCommand("update assessment_rounds set entry_deadline = @d, allow_late_submission = false where id = @r", conn);
        update.Parameters.AddWithValue("d", entry);
        update.Parameters.AddWithValue("r", round);
        await update.ExecuteNonQueryAsync();
        return id;
    }

    [Fact]
    public async Task AfterTheDeadline_TheOfficerIsRefusedNamingTheDate_AndTheReviewersExtensionLetsLacDaoEnterAgain()
    {
        var passed = Today.AddDays(-20);
        var id = await LacDaoWithDeadlineAsync(passed);

        var officer = await _officer.NewPageAsync();
        await SignIn.AsAsync(officer, _app, "xa.lacdao", $"/danh-gia/{id}");
        await Browser.WaitForCircuitAsync(officer);
        await Expect(officer.GetByTestId("readonly-banner")).ToContainTextAsync($"Đã quá hạn nhập và nộp số liệu của đợt đánh giá ({Vn(passed)})");
        await Expect(officer.GetByTestId("entry-deadline")).ToContainTextAsync($"Hạn nộp: {Vn(passed)} (quá hạn 20 ngày)");
        await Expect(officer.GetByTestId("input-general:1.4")).Not.ToBeEditableAsync();

        // The district's reviewer gives Lạc Đạo ten more days, with a reason, and confirms.
        var reviewer = await _reviewer.NewPageAsync();
        await SignIn.AsAsync(reviewer, _app, "thamtra.vanlam", "/tham-dinh");
        await reviewer.GetByTestId("link-extensions").ClickAsync();
        await Expect(reviewer.Locator("h1")).ToHaveTextAsync("Gia hạn cho đơn vị");
        await Browser.WaitForCircuitAsync(reviewer);
        await reviewer.GetByTestId("deadlines-round").ClickAsync();
        await reviewer.Locator(".mud-popover-open .mud-list-item", new() { HasText = "năm 2024" }).First.ClickAsync();
        await reviewer.GetByTestId("extension-unit").ClickAsync();
        await reviewer.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Lạc Đạo" }).First.ClickAsync();
        var extended = Today.AddDays(10);
        await reviewer.GetByTestId("extension-date").FillAsync(Vn(extended));
        await reviewer.GetByTestId("extension-date").PressAsync("Tab");
        await reviewer.GetByTestId("extension-grant").ClickAsync();
        await Expect(reviewer.GetByTestId("deadlines-error")).ToHaveTextAsync("Nhập lý do gia hạn cho đơn vị.");
        await reviewer.GetByTestId("extension-reason").FillAsync("Xã mất điện kéo dài sau bão");
        await reviewer.GetByTestId("extension-grant").ClickAsync();
        await reviewer.GetByRole(AriaRole.Button, new() { Name = "Đồng ý" }).ClickAsync();
        await Expect(reviewer.GetByTestId("deadlines-message")).ToContainTextAsync($"Đã gia hạn cho Lạc Đạo đến {Vn(extended)}.");
        await Expect(reviewer.GetByTestId($"extension-row-{id}")).ToContainTextAsync("Xã mất điện kéo dài sau bão");

        // The officer reloads: the new date and the reason are shown, and a figure saves again.
        await officer.ReloadAsync();
        await Browser.WaitForCircuitAsync(officer);
        await Expect(officer.GetByTestId("readonly-banner")).ToHaveCountAsync(0);
        await Expect(officer.GetByTestId("entry-deadline")).ToContainTextAsync($"Hạn nộp (đã gia hạn cho đơn vị): {Vn(extended)}");
        await Expect(officer.GetByTestId("entry-extension")).ToContainTextAsync("Lý do: Xã mất điện kéo dài sau bão");
        await DemoEntry.OpenSectionAsync(officer, "general");
        await officer.GetByTestId("input-general:1.4").FillAsync("9120");
        await Expect(officer.GetByTestId("status-general:1.4")).ToContainTextAsync("Đã lưu lúc");
    }

    [Fact]
    public async Task AllowLate_TheOfficerIsWarnedThatTheSubmissionWillBeMarkedLate_AndTheAdminSeesTheRule()
    {
        var passed = Today.AddDays(-4);
        var id = await LacDaoWithDeadlineAsync(passed);

        // The provincial admin switches "Cho phép nộp muộn" on for the round, and confirms.
        var admin = await _reviewer.NewPageAsync();
        await SignIn.AsAsync(admin, _app, "quantri.hungyen", "/quan-tri/dot-danh-gia");
        await admin.GetByTestId("deadlines-round").ClickAsync();
        await admin.Locator(".mud-popover-open .mud-list-item", new() { HasText = "năm 2024" }).First.ClickAsync();
        await admin.GetByTestId("deadlines-allow-late").ClickAsync();
        await admin.GetByTestId("deadlines-save-rules").ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Đồng ý" }).ClickAsync();
        await Expect(admin.GetByTestId("deadlines-message")).ToContainTextAsync("Cho phép nộp muộn");
        await Expect(admin.Locator("[data-testid^='allow-late-']")).ToHaveCountAsync(1);

        var officer = await _officer.NewPageAsync();
        await SignIn.AsAsync(officer, _app, "xa.lacdao", $"/danh-gia/{id}");
        await Browser.WaitForCircuitAsync(officer);
        await Expect(officer.GetByTestId("entry-late-warning")).ToContainTextAsync("quá hạn nộp 4 ngày");
        await Expect(officer.GetByTestId("entry-late-warning")).ToContainTextAsync("nộp muộn");
        await Expect(officer.GetByTestId("readonly-banner")).ToHaveCountAsync(0);
        await DemoEntry.OpenSectionAsync(officer, "general");
        await officer.GetByTestId("input-general:1.4").FillAsync("9121");
        await Expect(officer.GetByTestId("status-general:1.4")).ToContainTextAsync("Đã lưu lúc");
    }
}
