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
/// Validation rules in the browser (spec §10), on the demo data's Hưng Yên set: a figure that breaks an error rule is
/// refused at its field; one that breaks a warning rule is saved, shown under "Kiểm tra số liệu", blocks submission until
/// the commune explains it; the district reviewer sees the warning and the explanation beside the figures.
/// </summary>
[Collection(BrowserCollection.Name)]
public class ValidationRuleTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppServer _app = default!;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(15_000);
        _app = await AppServer.StartAsync(new Dictionary<string, string> { ["Email:Mode"] = "None" });
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Warning_IsExplainedOnTheEntryPage_BeforeSubmission_AndTheReviewerReadsTheExplanation()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _app, "xa.lacdao", "/danh-gia");
        var link = page.Locator("[data-testid^='open-']").First;
        await Expect(link).ToBeVisibleAsync();
        var id = int.Parse(Regex.Match(await link.GetAttributeAsync("href") ?? "", @"/danh-gia/(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        await DemoEntry.PrefillAsync(_app, id, except: ["8.2.b", "6.3.c"]);

        await page.GotoAsync($"{_app.BaseUrl}/danh-gia/{id}");
        await Browser.WaitForCircuitAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Mở tất cả" }).ClickAsync();

        // An error rule: online records above all records are refused at the field, with the rule and the figures.
        await page.GetByTestId("input-6.3.c").FillAsync("99999");
        await page.GetByTestId("input-6.3.c").BlurAsync();
        await Expect(page.GetByTestId("status-6.3.c")).ToContainTextAsync("quy tắc HS-6.3: 6.3.b + 6.3.c <= 6.3.a");
        await page.GetByTestId("input-6.3.c").FillAsync("0");
        await page.GetByTestId("input-6.3.c").BlurAsync();
        await Expect(page.GetByTestId("status-6.3.c")).ToContainTextAsync("Đã lưu lúc");

        // A warning rule: 8.2.b differs from 8.1.b — saved, and listed with a field for the explanation.
        await page.GetByTestId("input-8.2.b").FillAsync("5000");
        await page.GetByTestId("input-8.2.b").BlurAsync();
        await Expect(page.GetByTestId("status-8.2.b")).ToContainTextAsync("Đã lưu lúc");
        var warning = page.GetByTestId("rule-check-DS15");
        await Expect(warning).ToContainTextAsync("Tổng dân số từ 15 tuổi trở lên ở 8.2.b khác với 8.1.b");
        await Expect(warning).ToContainTextAsync("Chưa giải trình");

        // Submission lists the unexplained warning and offers no confirmation.
        await page.GetByTestId("submit-open").ClickAsync();
        await Expect(page.GetByTestId("submit-dialog")).ToContainTextAsync("Cảnh báo DS15 chưa được giải trình");
        await Expect(page.GetByTestId("submit-confirm")).ToHaveCountAsync(0);
        await page.GetByTestId("submit-dialog").GetByRole(AriaRole.Button, new() { Name = "Quay lại nhập số liệu" }).ClickAsync();
        await Expect(page.GetByTestId("submit-dialog")).ToHaveCountAsync(0);

        await page.GetByLabel("Giải trình cảnh báo DS15").FillAsync("Số 8.2.b lấy theo báo cáo của VNPT tháng 11, khác số của Công an xã ở 8.1.b.");
        await page.GetByTestId("rule-explain-save-DS15").ClickAsync();
        await Expect(page.GetByTestId("rule-check-DS15")).ToContainTextAsync("Đã lưu giải trình");

        await page.GetByTestId("submit-open").ClickAsync();
        await Expect(page.GetByTestId("submit-dialog")).ToBeVisibleAsync();
        await page.GetByTestId("submit-confirm").ClickAsync();
        await Expect(page.GetByTestId("entry-status")).ToHaveTextAsync("Đã nộp");
        await context.CloseAsync();

        // The district reviewer reads the warning and the explanation on the review page, beside 8.2's figures.
        var reviewerContext = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        var rp = await reviewerContext.NewPageAsync();
        await SignIn.AsAsync(rp, _app, "thamtra.vanlam", $"/tham-dinh/{id}");
        await Expect(rp.GetByTestId("rule-explanation-DS15")).ToContainTextAsync("lấy theo báo cáo của VNPT tháng 11");
        await Expect(rp.GetByTestId("review-rule-8.2-DS15")).ToContainTextAsync("Giải trình của đơn vị: Số 8.2.b lấy theo báo cáo của VNPT");
        await Expect(rp.GetByTestId("rule-checks").Locator("textarea")).ToHaveCountAsync(0);
        await reviewerContext.CloseAsync();
    }
}
