using System.Globalization;
using DtiPortal.Application.Assessments;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using DtiPortal.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Quality;

/// <summary>
/// Issue 15 in the browser: in the demo 2024 round (five communes of Văn Lâm submitted) Lạc Đạo declares a figure a thousand
/// times its peers'. The district reviewer sees the chip beside the figure, marks it "cần theo dõi" with a note; the commune
/// sees the note beside the figure and answers; the reviewer sees the answer, and the per-round list shows the row (and the
/// change since Lạc Đạo's figure of the demo's finished 2023 round, marked alike) and exports it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DataQualityPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppServer _app = default!;

    public async Task InitializeAsync() => _app = await AppServer.StartAsync(new Dictionary<string, string> { ["Email:Mode"] = "None" });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_flagged_figure_shows_its_chip_the_reviewer_marks_it_and_the_commune_answers()
    {
        SetDefaultExpectTimeout(20_000);
        var (lacDao, roundId, address) = await ArrangeAsync();
        var key = address.Replace('.', '-');

        await using var reviewer = await UserAsync("thamtra.vanlam", $"/tham-dinh/{lacDao}");
        var rp = reviewer.Page;
        var chip = rp.GetByTestId($"flag-{key}-FarFromPeers");
        await Expect(chip).ToBeVisibleAsync();
        await Expect(chip).ToContainTextAsync("Cách xa các đơn vị cùng đợt: 1.000.000 cao hơn nhiều so với trung vị");
        await chip.HoverAsync();
        await Expect(rp.Locator(".mud-tooltip").Filter(new() { HasText = "điểm z hiệu chỉnh" }).First).ToBeVisibleAsync();

        await rp.GetByTestId($"follow-up-mark-{key}").ClickAsync();
        await rp.GetByTestId($"follow-up-text-{key}").FillAsync("Số liệu gấp hàng nghìn lần các xã khác, đề nghị kiểm tra lại.");
        await rp.GetByTestId($"follow-up-save-{key}").ClickAsync();
        await Expect(rp.GetByTestId($"follow-up-note-{key}")).ToHaveTextAsync("Số liệu gấp hàng nghìn lần các xã khác, đề nghị kiểm tra lại.");
        await Expect(rp.GetByTestId($"follow-up-unanswered-{key}")).ToBeVisibleAsync();

        await using var commune = await UserAsync("xa.lacdao", $"/danh-gia/{lacDao}");
        var cp = commune.Page;
        await Expect(cp.GetByTestId("follow-up-summary")).ToContainTextAsync("1 số liệu chưa trả lời");
        await Expect(cp.GetByTestId($"follow-up-note-{key}")).ToHaveTextAsync("Số liệu gấp hàng nghìn lần các xã khác, đề nghị kiểm tra lại.");
        await Expect(cp.GetByTestId($"flag-{key}-FarFromPeers")).ToHaveCountAsync(0); // the unit sees the mark, not the checks
        await cp.GetByTestId($"follow-up-answer-text-{key}").FillAsync("Xã nhập nhầm đơn vị tính; số đúng là 1.000.");
        await cp.GetByTestId($"follow-up-send-{key}").ClickAsync();
        await Expect(cp.GetByTestId($"follow-up-answer-{key}")).ToContainTextAsync("Xã nhập nhầm đơn vị tính; số đúng là 1.000.");
        await Expect(cp.GetByTestId("follow-up-summary")).ToContainTextAsync("đã trả lời hết");

        await rp.ReloadAsync();
        await Browser.WaitForCircuitAsync(rp);
        await Expect(rp.GetByTestId($"follow-up-answer-{key}")).ToContainTextAsync("Xã nhập nhầm đơn vị tính; số đúng là 1.000.");

        // The per-round list: the row with its mark, and the export (the workbook itself is read back in the integration tests).
        await rp.GotoAsync($"{_app.BaseUrl}/tham-dinh/kiem-tra-chat-luong/{roundId}");
        await Browser.WaitForCircuitAsync(rp);
        var row = rp.GetByTestId($"quality-row-{lacDao}-{key}-FarFromPeers");
        await Expect(row).ToContainTextAsync("1.000.000");
        await Expect(row).ToContainTextAsync("Đơn vị đã trả lời: Xã nhập nhầm đơn vị tính");
        // The million is also far from Lạc Đạo's own figure in the demo's finished 2023 round: the other check flags the same
        // figure, and its row carries the same mark.
        var sincePrevious = rp.GetByTestId($"quality-row-{lacDao}-{key}-ChangeSincePrevious");
        await Expect(sincePrevious).ToContainTextAsync(Application.Demo.DemoAssessments.PastRoundName);
        await Expect(sincePrevious).ToContainTextAsync("Đơn vị đã trả lời: Xã nhập nhầm đơn vị tính");
        var href = await rp.GetByTestId("quality-export").GetAttributeAsync("href");
        var file = await rp.Context.APIRequest.GetAsync(_app.BaseUrl + href);
        Assert.Equal(200, file.Status);
        var bytes = await file.BodyAsync();
        Assert.Equal((byte)'P', bytes[0]);
        Assert.Equal((byte)'K', bytes[1]);

        // The dashboard counts the round's flagged figures in the reviewer's scope (as many as the list shows) and leads to the list.
        var listed = await rp.Locator("[data-testid^='quality-row-']").CountAsync();
        Assert.True(listed > 0);
        await rp.GotoAsync($"{_app.BaseUrl}/tong-quan?dot={roundId}");
        await Browser.WaitForCircuitAsync(rp);
        await Expect(rp.GetByTestId("dashboard-quality-summary")).ToContainTextAsync("đã đánh dấu cần theo dõi", new() { Timeout = 30_000 });
        await Expect(rp.GetByTestId("dashboard-quality-summary")).ToContainTextAsync("2 đã đánh dấu cần theo dõi"); // the marked figure's two rows
        await Expect(rp.GetByTestId("dashboard-quality-count")).ToHaveTextAsync(listed.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("vi-VN")));
        await Expect(rp.GetByTestId("dashboard-quality-link")).ToHaveAttributeAsync("href", $"/tham-dinh/kiem-tra-chat-luong/{roundId}");
    }

    /// <summary>
    /// Fills Lạc Đạo's 2024 assessment (a plausible value everywhere, one integer figure a million), then puts it and the other
    /// four Văn Lâm communes into "Đã nộp" (as the tables' owner: the submission path is another test's).
    /// </summary>
    private async Task<(int LacDao, int RoundId, string Address)> ArrangeAsync()
    {
        using var scope = _app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<Application.Data.DtiDbContext>>();
        int lacDao, roundId;
        List<int> others;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var ids = await (from a in db.Assessments
                             join u in db.Units on a.UnitId equals u.Id
                             where a.Round!.Year == 2024 && u.Code.StartsWith("33-VL-")
                             select new { a.Id, a.RoundId, u.Code }).ToListAsync();
            lacDao = ids.Single(x => x.Code == "33-VL-LDA").Id;
            roundId = ids.First().RoundId;
            others = [.. ids.Where(x => x.Code != "33-VL-LDA").Select(x => x.Id)];
        }
        var entry = await scope.ServiceProvider.GetRequiredService<AssessmentQueries>().GetEntryAsync(lacDao);
        var save = scope.ServiceProvider.GetRequiredService<SaveValue>();
        foreach (var a in entry.Set.ValueAddresses.Where(a => a.General is null))
        {
            var stored = entry.Values.GetValueOrDefault(a.Address);
            if (stored?.Value is not null) continue;
            var text = a.IsList ? "3" : a.OptionCount > 0 ? "1" : a.Type switch
            {
                Domain.Criteria.InputType.Boolean => "true",
                Domain.Criteria.InputType.Text => "Lạc Đạo",
                Domain.Criteria.InputType.Date => "15/03/2024",
                Domain.Criteria.InputType.Percent => "80",
                _ => "1",
            };
            await save.HandleAsync(lacDao, a.Address, text, stored?.Version ?? 0);
        }
        // The first integer figure that may be a million (a part may not exceed its whole: a whole can).
        entry = await scope.ServiceProvider.GetRequiredService<AssessmentQueries>().GetEntryAsync(lacDao);
        string? address = null;
        foreach (var a in entry.Set.ValueAddresses.Where(a => a.General is null && a.Type == Domain.Criteria.InputType.Integer && a.OptionCount == 0 && !a.IsList))
        {
            var saved = await save.HandleAsync(lacDao, a.Address, "1000000", entry.Values.GetValueOrDefault(a.Address)?.Version ?? 0);
            if (saved.Saved) { address = a.Address; break; }
        }
        Assert.NotNull(address);
        await using var connection = new NpgsqlConnection(_app.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "update assessments set status = 'Submitted', review_cycle = greatest(review_cycle, 1), submitted_at = now() where id = any(@ids)", connection);
        cmd.Parameters.AddWithValue("ids", others.Append(lacDao).ToArray());
        Assert.Equal(others.Count + 1, await cmd.ExecuteNonQueryAsync());
        Assert.True(others.Count >= 4, "the demo 2024 round has five Văn Lâm communes: " + others.Count.ToString(CultureInfo.InvariantCulture));
        return (lacDao, roundId, address);
    }

    private sealed class UserSession(IBrowserContext context, IPage page) : IAsyncDisposable
    {
        public IPage Page { get; } = page;
        public ValueTask DisposeAsync() => new(context.CloseAsync());
    }

    private async Task<UserSession> UserAsync(string userName, string returnUrl)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        var page = await context.NewPageAsync();
        page.Console += (_, m) => { if (m.Type == "error") Console.WriteLine($"[{userName}] {m.Text}"); };
        await SignIn.AsAsync(page, _app, userName, returnUrl);
        return new UserSession(context, page);
    }
}
