using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DtiPortal.Application.Assessments;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using DtiPortal.Web.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Reviews;

/// <summary>One server and database for the review tests: they work on different assessments of the demo data.</summary>
public sealed class ReviewServerFixture : IAsyncLifetime
{
    public AppServer App { get; private set; } = default!;

    // No e-mail under these tests: the workflow's notifications are another test's concern.
    public async Task InitializeAsync() => App = await AppServer.StartAsync(new Dictionary<string, string> { ["Email:Mode"] = "None" });

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Issue 6 in the browser: a commune submits, the district reviewer corrects one criterion and returns another with a reason,
/// the commune sees the reason next to it and can change only that criterion, resubmits; the reviewer sees the change and
/// forwards; the council appraises, votes and approves; the result is locked, audited and printed as two PDFs. A round
/// without a district tier goes straight to the council.
/// </summary>
[Collection(BrowserCollection.Name)]
public class ReviewWorkflowTests(BrowserFixture browser, ReviewServerFixture server) : IClassFixture<ReviewServerFixture>
{
    private AppServer App => server.App;

    [Fact]
    public async Task ThreeTierRound_SubmitReturnResubmitForwardApprove_LocksAuditsAndPrints()
    {
        SetDefaultExpectTimeout(15_000);
        await using var commune = await UserAsync("xa.lacdao", "/danh-gia");
        var id = await FirstAssessmentIdAsync(commune.Page);
        await DemoEntry.PrefillAsync(App, id, except: ["1.2.a", "1.2.b", "1.3"], percent: "80");

        // The commune types the last figures and submits through the page.
        var page = commune.Page;
        await page.GotoAsync($"{App.BaseUrl}/danh-gia/{id}");
        await Browser.WaitForCircuitAsync(page);
        await DemoEntry.OpenSectionAsync(page, "1");
        await page.GetByTestId("input-1.2.a").FillAsync("2");
        await page.GetByTestId("input-1.2.b").FillAsync("4");
        await page.GetByTestId("input-1.3").FillAsync("12");
        await page.GetByTestId("input-1.3").BlurAsync();
        await Expect(page.GetByTestId("save-indicator")).ToHaveTextAsync("Tất cả thay đổi đã được lưu");
        await SubmitAsync(page);

        // District reviewer: the queue (accent-insensitive search), then the assessment.
        await using var reviewer = await UserAsync("thamtra.vanlam", "/tham-dinh");
        var rp = reviewer.Page;
        await Expect(rp.GetByTestId($"queue-row-{id}")).ToBeVisibleAsync();
        await rp.GetByTestId("queue-search").FillAsync("lac dao");
        await Expect(rp.GetByTestId("queue").Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(rp.GetByTestId($"queue-row-{id}")).ToContainTextAsync("Văn Lâm");
        await rp.GetByTestId($"open-review-{id}").ClickAsync();
        await Expect(rp.GetByTestId("review-status")).ToHaveTextAsync("Đã nộp");
        await ClickActionAsync(rp, "StartDistrictReview");
        await Expect(rp.GetByTestId("review-status")).ToHaveTextAsync("Cấp huyện đang thẩm tra");

        // 1.3: corrected (12 articles claimed, 4 found: a quarter of 20 points), with its reason.
        await rp.GetByTestId("verdict-Corrected-1.3").CheckAsync();
        await rp.GetByTestId("correct-1.3").FillAsync("4");
        await rp.GetByTestId("save-appraisal-1.3").ClickAsync();
        await Expect(rp.GetByTestId("appraisal-error-1.3")).ToContainTextAsync("lý do"); // the reason is mandatory
        await rp.GetByTestId("appraisal-reason-1.3").FillAsync("Chuyên mục chỉ có 4 tin bài trong năm");
        await rp.GetByTestId("save-appraisal-1.3").ClickAsync();
        await Expect(rp.GetByTestId("appraisal-saved-1.3")).ToBeVisibleAsync();
        await Expect(rp.GetByTestId("district-value-1.3")).ToContainTextAsync("4");
        await Expect(rp.GetByTestId("achieved-points-1.3")).ToHaveTextAsync("5");

        // 1.2: the unit must fix it; a comment on its thread.
        await rp.GetByTestId("verdict-NeedsFix-1.2").CheckAsync();
        await rp.GetByTestId("appraisal-reason-1.2").FillAsync("Thiếu biên bản các cuộc họp do Chủ tịch xã chủ trì");
        await rp.GetByTestId("save-appraisal-1.2").ClickAsync();
        await Expect(rp.GetByTestId("verdict-District-1.2")).ToHaveTextAsync("Yêu cầu bổ sung");
        await rp.GetByTestId("comment-text-1.2").FillAsync("Đề nghị đính kèm biên bản họp quý III.");
        await rp.GetByTestId("comment-send-1.2").ClickAsync();
        await Expect(rp.GetByTestId("comments-1.2")).ToContainTextAsync("Đề nghị đính kèm biên bản họp quý III.");

        // Return: the reason is required.
        await ClickActionAsync(rp, "ReturnToUnit");
        await Expect(rp.GetByTestId("return-criteria")).ToContainTextAsync("1.2");
        await rp.GetByTestId("action-confirm").ClickAsync();
        await Expect(rp.GetByTestId("action-error")).ToContainTextAsync("lý do");
        await rp.GetByTestId("action-reason").FillAsync("Bổ sung số liệu tiêu chí 1.2");
        await rp.GetByTestId("action-confirm").ClickAsync();
        await Expect(rp.GetByTestId("review-status")).ToHaveTextAsync("Bị trả lại để bổ sung");

        // The commune sees the reasons next to 1.2, can change 1.2 only, and resubmits.
        await page.GotoAsync($"{App.BaseUrl}/danh-gia/{id}");
        await Browser.WaitForCircuitAsync(page);
        await Expect(page.GetByTestId("returned-banner")).ToContainTextAsync("Bổ sung số liệu tiêu chí 1.2");
        await Expect(page.GetByTestId("returned-reasons-1.2")).ToContainTextAsync("Thiếu biên bản các cuộc họp do Chủ tịch xã chủ trì");
        await Expect(page.GetByTestId("comments-1.2")).ToContainTextAsync("Đề nghị đính kèm biên bản họp quý III.");
        await DemoEntry.OpenSectionAsync(page, "1");
        await Expect(page.GetByTestId("input-1.3")).ToHaveAttributeAsync("readonly", "");
        await Expect(page.GetByTestId("input-1.2.a")).Not.ToHaveAttributeAsync("readonly", "");
        await page.GetByTestId("comment-text-1.2").FillAsync("Xã đã bổ sung: 4/4 cuộc họp do Chủ tịch chủ trì.");
        await page.GetByTestId("comment-send-1.2").ClickAsync();
        await Expect(page.GetByTestId("comments-1.2")).ToContainTextAsync("Xã đã bổ sung");
        await page.GetByTestId("input-1.2.a").FillAsync("4");
        await page.GetByTestId("input-1.2.a").BlurAsync();
        await Expect(page.GetByTestId("status-1.2.a")).ToContainTextAsync("Đã lưu lúc");
        using (var scope = App.Services.CreateScope()) // the commune attaches the minutes asked for (the evidence panel is tested elsewhere)
        {
            scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem();
            await scope.ServiceProvider.GetRequiredService<Application.Evidence.AddEvidenceLink>().HandleAsync(
                new Application.Evidence.AddEvidenceLinkRequest(id, "1.2", "https://lacdao.hungyen.gov.vn/bien-ban-hop-quy-3", Application.Evidence.DocumentInfo.None));
        }
        await SubmitAsync(page);

        // The reviewer sees what changed since the last review, accepts it and forwards.
        await rp.ReloadAsync();
        await Browser.WaitForCircuitAsync(rp);
        await Expect(rp.GetByTestId("review-status")).ToHaveTextAsync("Đã nộp");
        await ClickActionAsync(rp, "StartDistrictReview");
        await Expect(rp.GetByTestId("review-status")).ToHaveTextAsync("Cấp huyện đang thẩm tra");
        await Expect(rp.GetByTestId("change-1.2")).ToContainTextAsync("2 → 4");
        await Expect(rp.GetByTestId("evidence-change-1.2")).ToContainTextAsync("Thêm tài liệu kiểm chứng “liên kết https://lacdao.hungyen.gov.vn/bien-ban-hop-quy-3”");
        await Expect(rp.GetByTestId("evidence-changed-1.2")).ToContainTextAsync("Tài liệu đã thay đổi");
        await rp.GetByTestId("only-changed").CheckAsync();
        await Expect(rp.GetByTestId("review-1.3")).ToHaveCountAsync(0);
        await Expect(rp.GetByTestId("changed-input-1.2.a")).ToContainTextAsync("2");
        // The reason given with "Yêu cầu bổ sung" stays with that verdict: accepting shows no reason field and saves none.
        await Expect(rp.GetByTestId("appraisal-reason-1.2")).ToHaveValueAsync("Thiếu biên bản các cuộc họp do Chủ tịch xã chủ trì");
        await rp.GetByTestId("verdict-Accepted-1.2").CheckAsync();
        await Expect(rp.GetByTestId("appraisal-reason-1.2")).ToHaveCountAsync(0);
        await Expect(rp.GetByTestId("accepted-note-1.2")).ToBeVisibleAsync();
        await rp.GetByTestId("save-appraisal-1.2").ClickAsync();
        await Expect(rp.GetByTestId("verdict-District-1.2")).ToHaveTextAsync("Chấp nhận");
        await Expect(rp.GetByTestId("reason-District-1.2")).ToHaveCountAsync(0);
        await Expect(rp.GetByTestId("appraisal-District-1.2")).Not.ToContainTextAsync("Thiếu biên bản");
        await rp.GetByTestId("verdict-NeedsFix-1.2").CheckAsync(); // back to "needs fix": an empty reason of its own, nothing stale
        await Expect(rp.GetByTestId("appraisal-reason-1.2")).ToHaveValueAsync("");
        await rp.GetByTestId("verdict-Accepted-1.2").CheckAsync();

        // Forwarding is never one click: the dialog says which criteria the district did not appraise.
        await ClickActionAsync(rp, "ForwardToCouncil");
        await Expect(rp.GetByTestId("forward-warning")).ToBeVisibleAsync();
        await Expect(rp.GetByTestId("not-appraised")).ToContainTextAsync(new Regex(@"\d+/\d+ tiêu chí chưa thẩm định"));
        var notAppraised = (await rp.GetByTestId("not-appraised-codes").TextContentAsync())!.Split(", ");
        Assert.Contains("1.1", notAppraised);
        Assert.DoesNotContain("1.2", notAppraised);
        Assert.DoesNotContain("1.3", notAppraised);
        await rp.GetByRole(AriaRole.Button, new() { Name = "Hủy" }).ClickAsync(); // cancelled: nothing moved
        await Expect(rp.GetByTestId("action-dialog")).ToHaveCountAsync(0);
        await Expect(rp.GetByTestId("review-status")).ToHaveTextAsync("Cấp huyện đang thẩm tra");
        await ClickActionAsync(rp, "ForwardToCouncil");
        await rp.GetByTestId("action-confirm").ClickAsync();
        await Expect(rp.GetByTestId("review-status")).ToHaveTextAsync("Đã chuyển cấp tỉnh");

        // Council: the chair starts the appraisal, a member and the chair vote, the chair approves.
        await using var chair = await UserAsync("chutich.hungyen", $"/tham-dinh/{id}");
        var cp = chair.Page;
        await ClickActionAsync(cp, "StartCouncilAppraisal");
        await Expect(cp.GetByTestId("review-status")).ToHaveTextAsync("Hội đồng đang thẩm định");
        await using (var member = await UserAsync("hoidong.hungyen", $"/tham-dinh/{id}"))
        {
            await member.Page.GetByTestId("vote-agree").CheckAsync();
            await member.Page.GetByTestId("vote-submit").ClickAsync();
            await Expect(member.Page.GetByTestId("vote-tally")).ToContainTextAsync("Đồng ý: 1");
        }
        await cp.GetByTestId("vote-agree").CheckAsync();
        await cp.GetByTestId("vote-comment").FillAsync("Nhất trí kết quả thẩm tra của huyện.");
        await cp.GetByTestId("vote-submit").ClickAsync();
        await Expect(cp.GetByTestId("vote-tally")).ToContainTextAsync("Đồng ý: 2");
        var total = (await cp.GetByTestId("total-achieved").TextContentAsync())!.Trim();
        await ClickActionAsync(cp, "Approve");
        await Expect(cp.GetByTestId("approve-warning")).ToContainTextAsync("Phê duyệt sẽ khóa bản đánh giá");
        await Expect(cp.GetByTestId("not-appraised")).ToContainTextAsync("tiêu chí chưa thẩm định"); // the council appraised none itself
        await cp.GetByTestId("action-confirm").ClickAsync();
        await Expect(cp.GetByTestId("review-status")).ToHaveTextAsync("Đã phê duyệt");
        await Expect(cp.GetByTestId("result-total")).ToHaveTextAsync(total);
        await Expect(cp.GetByTestId("download-minutes")).ToBeVisibleAsync();
        await Expect(cp.GetByTestId("download-decision")).ToBeVisibleAsync();

        // The two PDFs, fetched with the chair's cookies, name the unit and carry the recognised score.
        foreach (var kind in new[] { "bien-ban", "quyet-dinh" })
        {
            var response = await cp.Context.APIRequest.GetAsync($"{App.BaseUrl}/api/van-ban/{id}/{kind}");
            Assert.Equal(200, response.Status);
            Assert.StartsWith("application/pdf", response.Headers["content-type"]);
            Assert.Contains("filename*=", response.Headers["content-disposition"]);
            var text = PdfText(await response.BodyAsync());
            Assert.Contains("Lạc Đạo", text);
            Assert.Contains(total, text);
            Assert.DoesNotMatch("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text); // no raw ids
            Assert.Matches(kind == "bien-ban" ? @"Số: \d+/BB-HĐTĐ" : @"Số: \d+/QĐ-UBND", text); // each office's own register
            if (kind == "bien-ban") Assert.Contains("Chuyên mục chỉ có 4 tin bài trong năm", Regex.Replace(text, @"\s+", " ")); // 1.3's reason in Ghi chú
        }

        // The council reopens one criterion (reason required), appraises it again, and the chair re-approves: version 2.
        await cp.GetByTestId("reopen-1.3").ClickAsync();
        await cp.GetByTestId("reopen-confirm").ClickAsync();
        await Expect(cp.GetByTestId("reopen-error")).ToBeVisibleAsync();
        await cp.GetByTestId("reopen-reason").FillAsync("Xã gửi thêm 4 tin bài đăng trong tháng 12");
        await cp.GetByTestId("reopen-confirm").ClickAsync();
        await Expect(cp.GetByTestId("reopen-banner")).ToContainTextAsync("1.3");
        await Expect(cp.GetByTestId("appraisal-form-1.2")).ToHaveCountAsync(0); // only the reopened criterion
        await cp.GetByTestId("verdict-Corrected-1.3").CheckAsync();
        await cp.GetByTestId("correct-1.3").FillAsync("8");
        await cp.GetByTestId("appraisal-reason-1.3").FillAsync("Đủ 8 tin bài: nửa số điểm");
        await cp.GetByTestId("save-appraisal-1.3").ClickAsync();
        await Expect(cp.GetByTestId("achieved-points-1.3")).ToHaveTextAsync("10");
        await cp.GetByTestId("reapprove").ClickAsync();
        await cp.GetByTestId("reapprove-confirm").ClickAsync();
        await Expect(cp.GetByTestId("result-version")).ToHaveTextAsync("2");
        await Expect(cp.GetByTestId("reopen-banner")).ToHaveCountAsync(0);
        var total2 = (await cp.GetByTestId("result-total").TextContentAsync())!.Trim();
        Assert.NotEqual(total, total2);

        // Locked for the commune, with the recognised result.
        await page.GotoAsync($"{App.BaseUrl}/danh-gia/{id}");
        await Browser.WaitForCircuitAsync(page);
        await Expect(page.GetByTestId("entry-status")).ToHaveTextAsync("Đã phê duyệt");
        await Expect(page.GetByTestId("input-1.2.a")).ToHaveAttributeAsync("readonly", "");
        await Expect(page.GetByTestId("submit-open")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("result-total")).ToHaveTextAsync(total2);
        await Expect(page.GetByTestId("result-achieved-1.3")).ToContainTextAsync("10");
        var minutes = await page.Context.APIRequest.GetAsync($"{App.BaseUrl}/api/van-ban/{id}/bien-ban");
        Assert.Equal(200, minutes.Status);

        // Every step in the history and in the audit log.
        var history = cp.GetByTestId("history");
        foreach (var step in new[] { "Nhận thẩm tra", "Trả lại đơn vị", "Nộp lại", "Chuyển Hội đồng thẩm định", "Bắt đầu thẩm định", "Phê duyệt", "Mở lại tiêu chí" })
            await Expect(history).ToContainTextAsync(step);
        await using var admin = await UserAsync("quantri.hungyen", "/quan-tri/nhat-ky");
        var audit = admin.Page.GetByTestId("audit-table");
        await Expect(audit).ToBeVisibleAsync();
        var auditText = await AuditTextAsync(admin.Page, id);
        foreach (var step in new[] { "StartDistrictReview", "ReturnToUnit", "ForwardToCouncil", "StartCouncilAppraisal", "Approve" })
            Assert.True(auditText.Contains(step, StringComparison.Ordinal) || auditText.Contains(Domain.Reviews.AssessmentWorkflow.ActionName(Enum.Parse<Domain.Reviews.WorkflowAction>(step)), StringComparison.Ordinal),
                $"the audit log does not show {step}");

        // The provincial admin publishes the round's approved results.
        await admin.Page.GotoAsync($"{App.BaseUrl}/quan-tri/dot-danh-gia");
        await Browser.WaitForCircuitAsync(admin.Page);
        await admin.Page.GetByTestId("rounds").Locator("tr", new() { HasText = "cấp xã năm 2024" }).Locator("[data-testid^='publish-']").ClickAsync();
        await admin.Page.GetByTestId("round-confirm").ClickAsync();
        await Expect(admin.Page.GetByTestId("message")).ToContainTextAsync("Đã công bố 1 kết quả");
        await cp.ReloadAsync();
        await Expect(cp.GetByTestId("review-status")).ToHaveTextAsync("Đã công bố");
    }

    [Fact]
    public async Task TwoTierRound_SubmissionGoesStraightToTheCouncil()
    {
        SetDefaultExpectTimeout(15_000);
        await using var commune = await UserAsync("xa.lacdao2025", "/danh-gia");
        var id = await FirstAssessmentIdAsync(commune.Page);
        await DemoEntry.PrefillAsync(App, id, except: [], percent: "80");
        await commune.Page.GotoAsync($"{App.BaseUrl}/danh-gia/{id}");
        await Browser.WaitForCircuitAsync(commune.Page);
        await SubmitAsync(commune.Page);

        await using var chair = await UserAsync("chutich.hungyen", "/tham-dinh");
        var cp = chair.Page;
        var row = cp.GetByTestId($"queue-row-{id}");
        await Expect(row).ToContainTextAsync("Đã nộp");
        await Expect(row).ToContainTextAsync("Bắt đầu thẩm định");
        var notYet = await cp.Context.APIRequest.GetAsync($"{App.BaseUrl}/api/van-ban/{id}/quyet-dinh");
        Assert.Equal(404, notYet.Status);
        Assert.Contains("quyết định công nhận", await notYet.TextAsync());

        await cp.GetByTestId($"open-review-{id}").ClickAsync();
        await Expect(cp.GetByTestId("review-meta")).ToContainTextAsync("Đã nộp");
        await Expect(cp.GetByTestId("action-StartDistrictReview")).ToHaveCountAsync(0);
        await Expect(cp.GetByTestId("level-self")).Not.ToHaveTextAsync("—");
        await ClickActionAsync(cp, "StartCouncilAppraisal");
        await Expect(cp.GetByTestId("review-status")).ToHaveTextAsync("Hội đồng đang thẩm định");
        await Expect(cp.Locator("[data-testid^='appraisal-form-']").First).ToBeVisibleAsync();

        // Two tiers: nobody forwards, the chair approves; the confirmation names what the council has not appraised yet.
        await ClickActionAsync(cp, "Approve");
        await Expect(cp.GetByTestId("not-appraised")).ToContainTextAsync(new Regex(@"(\d+)/\1 tiêu chí chưa thẩm định"));
        await cp.GetByRole(AriaRole.Button, new() { Name = "Hủy" }).ClickAsync();
        await Expect(cp.GetByTestId("review-status")).ToHaveTextAsync("Hội đồng đang thẩm định");

        // The chair assigns a criterion of the round to a member (saved on change, kept after a reload).
        await cp.GetByTestId("assign-link").ClickAsync();
        var select = cp.Locator("input[data-testid^='assign-']").First; // a MudSelect's input
        var code = (await select.GetAttributeAsync("data-testid"))!["assign-".Length..];
        await select.ClickAsync();
        await cp.GetByRole(AriaRole.Option, new() { NameRegex = new System.Text.RegularExpressions.Regex("Phạm Thu Hằng") }).ClickAsync();
        await Expect(cp.GetByTestId("assign-state-" + code)).ToHaveTextAsync("Đã lưu");
        await cp.ReloadAsync();
        await Browser.WaitForCircuitAsync(cp);
        await Expect(cp.GetByTestId("assign-" + code)).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("Phạm Thu Hằng"));
        await cp.GotoAsync($"{App.BaseUrl}/tham-dinh/{id}");
        await Expect(cp.GetByTestId("review-" + code)).ToContainTextAsync("Thành viên Hội đồng phụ trách: Phạm Thu Hằng");

        // The district reviewer never sees it.
        await using var reviewer = await UserAsync("thamtra.vanlam", "/tham-dinh");
        await reviewer.Page.GetByTestId("view-all").CheckAsync();
        await Expect(reviewer.Page.GetByTestId($"queue-row-{id}")).ToHaveCountAsync(0);
    }

    // ---- helpers ----

    private sealed class UserSession(IBrowserContext context, IPage page) : IAsyncDisposable
    {
        public IPage Page { get; } = page;
        public ValueTask DisposeAsync() => new(context.CloseAsync());
    }

    private async Task<UserSession> UserAsync(string userName, string returnUrl)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        var page = await context.NewPageAsync();
        page.Console += (_, m) => { if (m.Type == "error") Console.WriteLine($"[{userName}] {m.Text}"); }; // a failing step shows why
        await SignIn.AsAsync(page, App, userName, returnUrl);
        return new UserSession(context, page);
    }

    private static async Task ClickActionAsync(IPage page, string action)
    {
        var button = page.GetByTestId("action-" + action);
        await Expect(button).ToBeEnabledAsync();
        await button.ClickAsync();
    }

    private static async Task SubmitAsync(IPage page)
    {
        await page.GetByTestId("submit-open").ClickAsync();
        await Expect(page.GetByTestId("submit-dialog")).ToBeVisibleAsync();
        await page.GetByTestId("submit-confirm").ClickAsync();
        await Expect(page.GetByTestId("entry-status")).ToHaveTextAsync("Đã nộp");
    }

    private static async Task<int> FirstAssessmentIdAsync(IPage page)
    {
        var link = page.Locator("[data-testid^='open-']").First;
        await Expect(link).ToBeVisibleAsync();
        var href = await link.GetAttributeAsync("href") ?? "";
        return int.Parse(Regex.Match(href, @"/danh-gia/(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The workflow entries of the audit log about assessment <paramref name="id"/> as text (every page; a few at most for one
    /// test's work). Only that assessment's rows: the demo data's finished round went through the same steps.
    /// </summary>
    private static async Task<string> AuditTextAsync(IPage page, int id)
    {
        await page.GetByTestId("audit-action").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Xử lý hồ sơ đánh giá" }).ClickAsync();
        await Expect(page.GetByTestId("audit-action")).ToHaveValueAsync("Xử lý hồ sơ đánh giá");
        await page.GetByTestId("audit-search").ClickAsync();
        await Expect(page.GetByTestId("audit-table").Locator("tbody tr").First).ToContainTextAsync("Xử lý hồ sơ đánh giá");
        var rows = page.GetByTestId("audit-table").Locator("tbody tr", new() { HasTextRegex = new Regex($@"Bản đánh giá #{id}\b") });
        var text = string.Join("\n", await rows.AllInnerTextsAsync());
        var next = page.GetByRole(AriaRole.Button, new() { Name = "Trang sau ›" });
        for (var i = 0; i < 10 && await next.IsEnabledAsync(); i++)
        {
            var first = await page.GetByTestId("audit-table").Locator("tbody tr").First.InnerTextAsync();
            await next.ClickAsync();
            await page.WaitForTimeoutAsync(300);
            if (await page.GetByTestId("audit-table").Locator("tbody tr").First.InnerTextAsync() == first) break;
            text += "\n" + string.Join("\n", await rows.AllInnerTextsAsync());
        }
        return text;
    }

    private static string PdfText(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), "dti-" + Guid.NewGuid().ToString("N") + ".pdf");
        File.WriteAllBytes(path, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-enc", "UTF-8", path, "-"])
            {
                RedirectStandardOutput = true, UseShellExecute = false,
            }) ?? throw new InvalidOperationException("pdftotext did not start (apt-get install poppler-utils)");
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return text;
        }
        finally { File.Delete(path); }
    }
}
