using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DtiPortal.Application.Assessments;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using DtiPortal.Web.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Assessments;

/// <summary>
/// Issue 5 in the browser: a commune officer enters general information and criteria with autosave, sees the score
/// change, uploads evidence with progress, finds everything after a reload and submits once despite a double click;
/// a department officer sees only the criteria assigned to its department; a renamed executable is refused.
/// Each test starts its own server and database (the demo data has an open round for the Hưng Yên communes).
/// </summary>
[Collection(BrowserCollection.Name)]
public class EntryPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppServer _app = default!;
    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public async Task InitializeAsync()
    {
        // The first score of a cold server loads the set and the cohort; on two busy cores that can take several seconds.
        SetDefaultExpectTimeout(15_000);
        _app = await AppServer.StartAsync();
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        _page = await _context.NewPageAsync();
        await EnsureOpenRoundAsync();
    }

    /// <summary>The demo data opens a round for the Hưng Yên communes; when it does not (older demo data), open one.</summary>
    private async Task EnsureOpenRoundAsync()
    {
        using var scope = SystemScope();
        var rounds = scope.ServiceProvider.GetRequiredService<RoundAdmin>();
        if ((await rounds.ListAsync()).Any(r => r.Status == RoundStatus.Open && r.LevelCode == "commune")) return;
        await using var conn = new NpgsqlConnection(_app.ConnectionString);
        await conn.OpenAsync();
        var province = await ScalarAsync<int>(conn, "select id from units where code = '33' and @id = @id", 0);
        var version = await ScalarAsync<int>(conn, "select id from criteria_set_versions where set_id = 'hung-yen-commune-2024' and @id = @id order by version desc limit 1", 0);
        var deadline = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30);
        var result = await rounds.CreateAsync(new CreateRoundRequest(2024, "Đánh giá chuyển đổi số cấp xã năm 2024 (kiểm thử)", version, province, "commune",
            deadline, deadline.AddDays(5), deadline.AddDays(10), HasDistrictTier: true));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
    }

    public async Task DisposeAsync()
    {
        await _context.CloseAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task CommuneOfficer_EntersFiguresAndEvidence_FindsThemAfterReload_AndADoubleClickSubmitsOnce()
    {
        await SignIn.AsAsync(_page, _app, "xa.lacdao", "/danh-gia");
        var id = await OpenFirstAssessmentIdAsync();
        // Everything except what this test types is filled behind the page (as colleagues would), so submission is possible.
        await DemoEntry.PrefillAsync(_app, id, except: ["general:1.4", "1.1", "1.2.a", "1.2.b"]);

        await _page.GotoAsync($"{_app.BaseUrl}/danh-gia/{id}");
        await Browser.WaitForCircuitAsync(_page);
        await Expect(_page.GetByTestId("general-section")).ToContainTextAsync("Thông tin chung");
        await Expect(_page.GetByTestId("total")).Not.ToHaveTextAsync("…");
        var totalBefore = await _page.GetByTestId("total").InnerTextAsync();

        // General information: typed once, saved after a pause.
        await _page.GetByTestId("input-general:1.4").FillAsync("9120");
        await Expect(_page.GetByTestId("status-general:1.4")).ToContainTextAsync("Đã lưu lúc");

        // Only the section where work remained was open (issue 17): the general information, not the first main index.
        await Expect(_page.GetByTestId("toggle-1")).ToHaveAttributeAsync("aria-expanded", "false");
        // A section's title reads from the left (MudBlazor's reset made every button a centred flex box, which also ate the
        // spaces between the title's parts).
        // The open/closed mark is the button's ::before (issue 17): the title is its first text, one mark's width in.
        var titleOffset = await _page.GetByTestId("toggle-1").EvaluateAsync<double>(
            "b => { const r = document.createRange(); r.selectNodeContents(b); return r.getClientRects()[0].left - b.getBoundingClientRect().left; }");
        Assert.True(titleOffset < 40, $"section title starts {titleOffset} px into its header");
        Assert.Matches(@"^1\. \S.* \d+/\d+ mục đã nhập", await _page.GetByTestId("toggle-1").InnerTextAsync());
        await DemoEntry.OpenSectionAsync(_page, "1");

        // A choice as radio buttons, a ratio from two numbers; points and the explanation update as the user goes.
        await _page.GetByTestId("option-1.1-1").CheckAsync();
        await Expect(_page.GetByTestId("points-1.1")).ToContainTextAsync("20 / 20");
        await _page.GetByTestId("input-1.2.a").FillAsync("3");
        await _page.GetByTestId("input-1.2.b").FillAsync("4");
        await _page.GetByTestId("input-1.2.b").BlurAsync();
        await Expect(_page.GetByTestId("points-1.2")).ToContainTextAsync("15 / 20");
        await Expect(_page.GetByTestId("explain-1.2")).Not.ToBeEmptyAsync();
        await Expect(_page.GetByTestId("total")).Not.ToHaveTextAsync(totalBefore);
        await Expect(_page.GetByTestId("save-indicator")).ToHaveTextAsync("Tất cả thay đổi đã được lưu");

        // Refused input: the message is shown and the text stays in the box.
        await _page.GetByTestId("input-1.2.a").FillAsync("ba");
        await Expect(_page.GetByTestId("status-1.2.a")).ToContainTextAsync("không phải là số");
        await Expect(_page.GetByTestId("input-1.2.a")).ToHaveValueAsync("ba");
        await _page.GetByTestId("input-1.2.a").FillAsync("3");
        await Expect(_page.GetByTestId("status-1.2.a")).ToContainTextAsync("Đã lưu lúc");

        // Evidence: a small PDF with a progress bar, then listed with a preview.
        await _page.EvaluateAsync("""
            () => { window.__sawProgress = false;
                    new MutationObserver(() => { if (document.querySelector('[data-testid="progress-1.1"]')) window.__sawProgress = true; })
                        .observe(document.body, { subtree: true, childList: true }); }
            """);
        await _page.GetByTestId("upload-1.1").SetInputFilesAsync(new FilePayload
        {
            Name = "bien-ban-hop.pdf", MimeType = "application/pdf", Buffer = SmallPdf(),
        });
        await Expect(_page.GetByTestId("upload-message-1.1")).ToContainTextAsync("Đã tải lên");
        await Expect(_page.GetByTestId("evidence-1.1")).ToContainTextAsync("bien-ban-hop.pdf");
        Assert.True(await _page.EvaluateAsync<bool>("() => window.__sawProgress"), "the progress bar was never shown");
        var itemId = await _page.Locator("[data-testid^='preview-']").First.GetAttributeAsync("data-testid");
        await _page.Locator("[data-testid^='preview-']").First.ClickAsync();
        await Expect(_page.GetByTestId("preview-dialog").Locator("iframe")).ToHaveAttributeAsync("src", new Regex(@"/api/bang-chung/\d+/xem$"));
        // The close button, not Esc: once the PDF viewer inside the frame has focus, it keeps the keyboard to itself.
        await _page.GetByTestId("preview-dialog").GetByRole(AriaRole.Button, new() { Name = "Đóng" }).ClickAsync();
        await Expect(_page.GetByTestId("preview-dialog")).ToHaveCountAsync(0);

        // A link as evidence on a criterion that has none: its empty state becomes the panel, with the form open and the
        // cursor in its first field (issue 17: an empty panel is the criterion's own markup until it is used).
        await Expect(_page.GetByTestId("evidence-empty-1.2")).ToBeVisibleAsync();
        await _page.GetByTestId("add-link-1.2").ClickAsync();
        await Expect(_page.GetByTestId("link-url-1.2")).ToBeFocusedAsync();
        await _page.Keyboard.TypeAsync("https://hungyen.gov.vn/ke-hoach-cds");
        await _page.GetByTestId("link-save-1.2").ClickAsync();
        await Expect(_page.GetByTestId("evidence-1.2")).ToContainTextAsync("https://hungyen.gov.vn/ke-hoach-cds");
        await Expect(_page.GetByTestId("link-form-1.2")).ToHaveCountAsync(0);
        Assert.NotNull(itemId);

        // Reload: everything is still there.
        await _page.ReloadAsync();
        await Browser.WaitForCircuitAsync(_page);
        await Expect(_page.GetByTestId("input-general:1.4")).ToHaveValueAsync("9120");
        await DemoEntry.OpenSectionAsync(_page, "1"); // open already: nothing is left to fill
        await Expect(_page.GetByTestId("option-1.1-1")).ToBeCheckedAsync();
        await Expect(_page.GetByTestId("input-1.2.b")).ToHaveValueAsync("4");
        await Expect(_page.GetByTestId("evidence-1.1")).ToContainTextAsync("bien-ban-hop.pdf");
        await Expect(_page.GetByTestId("points-1.2")).ToContainTextAsync("15 / 20");

        // Submit: the dialog, then a double click on the confirmation makes exactly one submission.
        await _page.GetByTestId("submit-open").ClickAsync();
        await Expect(_page.GetByTestId("submit-dialog")).ToBeVisibleAsync();
        await _page.GetByTestId("submit-confirm").DblClickAsync();
        await Expect(_page.GetByTestId("readonly-banner")).ToContainTextAsync("Đã nộp bản đánh giá thành công");
        await Expect(_page.GetByTestId("entry-status")).ToHaveTextAsync("Đã nộp");
        await Expect(_page.GetByTestId("input-1.2.b")).ToHaveAttributeAsync("readonly", "");
        await Expect(_page.GetByTestId("submit-open")).ToHaveCountAsync(0);

        await using var conn = new NpgsqlConnection(_app.ConnectionString);
        await conn.OpenAsync();
        Assert.Equal("Submitted", await ScalarAsync<string>(conn, "select status from assessments where id = @id", id));
        var submissions = await ScalarAsync<long>(conn,
            "select count(*) from audit_log where entity_id = @id::text and entity_type = 'Assessment' " +
            "and coalesce(after->>'Status', after->>'status') = 'Submitted' " +
            "and coalesce(before->>'Status', before->>'status', '') <> 'Submitted'", id);
        Assert.Equal(1, submissions);
    }

    [Fact]
    public async Task DepartmentOfficer_SeesOnlyTheCriteriaAssignedToTheirDepartment()
    {
        await SignIn.AsAsync(_page, _app, "xa.lacdao", "/danh-gia");
        var id = await OpenFirstAssessmentIdAsync();
        const string department = "Văn phòng - Thống kê";
        HashSet<string> expected;
        string notAssigned;
        using (var scope = SystemScope())
        {
            var assign = scope.ServiceProvider.GetRequiredService<AssignCriteria>();
            foreach (var code in new[] { "1.1", "1.2" })
                Assert.True((await assign.HandleAsync(id, code, department)).Succeeded);
            var entry = await scope.ServiceProvider.GetRequiredService<AssessmentQueries>().GetEntryAsync(id);
            expected = entry.Assignments.Where(a => CriterionAssignment.SameDepartment(a.Value, department)).Select(a => a.Key).ToHashSet();
            notAssigned = entry.Assignments.First(a => !CriterionAssignment.SameDepartment(a.Value, department)).Key;
        }

        var page = await (await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" })).NewPageAsync();
        await SignIn.AsAsync(page, _app, "vanphong.lacdao", $"/danh-gia/{id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mở tất cả" }).ClickAsync();
        await Expect(page.GetByTestId("criterion-1.1")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("criterion-1.2")).ToBeVisibleAsync();
        await Expect(page.Locator("article[data-testid^='criterion-']")).ToHaveCountAsync(expected.Count);
        await Expect(page.GetByTestId("criterion-" + notAssigned)).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("submit-open")).ToHaveCountAsync(0);
        await page.GetByTestId("input-1.2.a").FillAsync("2");
        await Expect(page.GetByTestId("status-1.2.a")).ToContainTextAsync("Đã lưu lúc");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task NextEmptyField_OpensItsSectionAndFocusesIt_BelowTheScoreBar_AndTheCountsFollow()
    {
        await SignIn.AsAsync(_page, _app, "xa.lacdao", "/danh-gia");
        var id = await OpenFirstAssessmentIdAsync();
        await DemoEntry.PrefillAsync(_app, id, except: ["general:1.4", "1.2.a", "1.2.b"]);
        await _page.GotoAsync($"{_app.BaseUrl}/danh-gia/{id}");
        await Browser.WaitForCircuitAsync(_page);

        // The counts: one general field and two of the first main index still empty.
        var (generalDone, generalAll) = await CountAsync("section-count-general");
        Assert.Equal(generalAll - 1, generalDone);
        var (firstDone, firstAll) = await CountAsync("section-count-1");
        Assert.Equal(firstAll - 2, firstDone);

        // From the top: the empty general field, focused and not under the sticky score bar.
        await _page.GetByTestId("next-empty").ClickAsync();
        await Expect(_page.GetByTestId("input-general:1.4")).ToBeFocusedAsync();
        await AssertBelowScoreBarAsync("input-general:1.4");
        // Filled at once (typing key by key races the autosave's re-render on a busy machine); the focus is checked above.
        await _page.GetByTestId("input-general:1.4").FillAsync("9120");
        await Expect(_page.GetByTestId("status-general:1.4")).ToContainTextAsync("Đã lưu lúc");
        await Expect(_page.GetByTestId("section-count-general")).ToHaveTextAsync($"{generalAll}/{generalAll} mục đã nhập");

        // Every section closed: the button opens the one holding the next empty field (after the one just left).
        await _page.GetByRole(AriaRole.Button, new() { Name = "Thu gọn tất cả" }).ClickAsync();
        await Expect(_page.GetByTestId("input-1.2.a")).ToHaveCountAsync(0);
        await _page.GetByTestId("next-empty").ClickAsync();
        await Expect(_page.GetByTestId("input-1.2.a")).ToBeFocusedAsync();
        await AssertBelowScoreBarAsync("input-1.2.a");
        // Scrolled well down, the score bar sticks below the fixed app bar, not under it.
        await _page.EvaluateAsync("() => window.scrollBy(0, 600)");
        var appBar = (await _page.Locator(".portal-appbar").BoundingBoxAsync())!;
        var stuck = (await _page.GetByTestId("score-bar").BoundingBoxAsync())!;
        Assert.True(stuck.Y >= appBar.Y + appBar.Height - 0.5, $"score bar at {stuck.Y}, app bar ends at {appBar.Y + appBar.Height}");
        await _page.GetByTestId("input-1.2.a").FocusAsync();
        await _page.GetByTestId("input-1.2.a").FillAsync("2");
        await Expect(_page.GetByTestId("status-1.2.a")).ToContainTextAsync("Đã lưu lúc");
        await _page.GetByTestId("next-empty").ClickAsync();
        await Expect(_page.GetByTestId("input-1.2.b")).ToBeFocusedAsync();
        await _page.GetByTestId("input-1.2.b").FillAsync("4");
        await Expect(_page.GetByTestId("status-1.2.b")).ToContainTextAsync("Đã lưu lúc");
        await Expect(_page.GetByTestId("section-count-1")).ToHaveTextAsync($"{firstAll}/{firstAll} mục đã nhập");

        // Nothing left to fill.
        await _page.GetByTestId("next-empty").ClickAsync();
        await Expect(_page.GetByTestId("next-empty-status")).ToHaveTextAsync("Mọi ô bạn được nhập đều đã có số liệu.");
    }

    private async Task<(int Done, int All)> CountAsync(string testId)
    {
        var text = await _page.GetByTestId(testId).InnerTextAsync();
        var m = Regex.Match(text, @"^(\d+)/(\d+) mục đã nhập$");
        Assert.True(m.Success, $"{testId}: “{text}”");
        return (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>The field lies in the window, wholly below the sticky score bar.</summary>
    private async Task AssertBelowScoreBarAsync(string testId)
    {
        var bar = (await _page.GetByTestId("score-bar").BoundingBoxAsync())!;
        var field = (await _page.GetByTestId(testId).BoundingBoxAsync())!;
        var height = await _page.EvaluateAsync<double>("() => window.innerHeight");
        Assert.True(field.Y >= bar.Y + bar.Height && field.Y + field.Height <= height,
            $"{testId} at {field.Y}–{field.Y + field.Height}, score bar {bar.Y}–{bar.Y + bar.Height}, window {height}");
    }

    [Fact]
    public async Task Upload_OfARenamedExecutable_IsRefusedWithAVietnameseMessage()
    {
        await SignIn.AsAsync(_page, _app, "xa.lacdao", "/danh-gia");
        var id = await OpenFirstAssessmentIdAsync();
        await _page.GotoAsync($"{_app.BaseUrl}/danh-gia/{id}");
        await Browser.WaitForCircuitAsync(_page);
        var exe = new byte[2048];
        exe[0] = (byte)'M';
        exe[1] = (byte)'Z';
        await DemoEntry.OpenSectionAsync(_page, "1");
        await _page.GetByTestId("upload-1.1").SetInputFilesAsync(new FilePayload { Name = "x.pdf", MimeType = "application/pdf", Buffer = exe });
        await Expect(_page.GetByTestId("upload-message-1.1")).ToContainTextAsync("tệp chương trình");
        await Expect(_page.GetByTestId("evidence-empty-1.1")).ToBeVisibleAsync();
    }

    private async Task<int> OpenFirstAssessmentIdAsync()
    {
        var link = _page.Locator("[data-testid^='open-']").First;
        await Expect(link).ToBeVisibleAsync();
        var href = await link.GetAttributeAsync("href") ?? "";
        return int.Parse(Regex.Match(href, @"/danh-gia/(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private IServiceScope SystemScope()
    {
        var scope = _app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem();
        return scope;
    }

    private static byte[] SmallPdf() => Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\nxref\n0 4\n0000000000 65535 f \n" +
        "trailer<</Size 4/Root 1 0 R>>\nstartxref\n0\n%%EOF\n" + new string(' ', 200_000));

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql, int id)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("id", id);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
