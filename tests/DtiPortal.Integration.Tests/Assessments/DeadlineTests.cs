using System.Text.Json;
using DtiPortal.Application;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Evidence;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Spreadsheets;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Reviews;
using DtiPortal.Integration.Tests.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Assessments;

/// <summary>
/// Issue 15, "deadlines mean something", through the use cases on PostgreSQL: after the deadline entry and submission are
/// refused naming the date, unless the round is extended, the unit has its own extension (audited), or the round accepts
/// late submissions (then the submission carries "nộp muộn" and the days). Deadlines are moved into the past as the tables'
/// owner, after the figures were entered on time.
/// </summary>
public class DeadlineTests(ReviewFixture fx) : IClassFixture<ReviewFixture>
{
    private static DateOnly Today => VietnamTime.Today(TimeProvider.System);

    private async Task SetEntryDeadlineAsync(int roundId, DateOnly entry)
    {
        await using var db = fx.Entry.Db.OwnerContext();
        await db.Database.ExecuteSqlAsync($"update assessment_rounds set entry_deadline = {entry} where id = {roundId}");
    }

    private async Task<Assessment> RowAsync(int id)
    {
        await using var db = fx.Entry.Db.OwnerContext();
        return await db.Assessments.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    private Task<SubmitResult> SubmitAsync(IUnitScope who, int id) =>
        fx.Entry.AsAsync<SubmitAssessment, SubmitResult>(who, s => s.HandleAsync(id, Guid.NewGuid()));

    private Task<Result> GrantAsync(IUnitScope who, int id, DateOnly date, string? reason) =>
        fx.Entry.AsAsync<UnitDeadlineExtensions, Result>(who, x => x.GrantAsync(id, date, reason));

    private async Task FillOnTimeAsync(int id, string unit)
    {
        // Everything but the submission, before the deadline; FillAndSubmitAsync is then only a submit after it.
        foreach (var (address, text) in new[]
        {
            ("general:1.4", "9.120"), ("general:1.6", "2.450"), ("1.1", "1"), ("1.2", "có"), ("1.3.a", "6.120"),
            ("1.4.a", "10"), ("1.4.b", "12"), ("1.5.a", "1.200"), ("1.6", "72,5"),
        })
            Assert.True((await fx.Entry.SaveAsync(fx.Officer(unit), id, address, text)).Saved, address);
        await using var s = fx.Entry.Db.ScopeAs(fx.Officer(unit));
        await s.ServiceProvider.GetRequiredService<AddEvidenceLink>().HandleAsync(
            new AddEvidenceLinkRequest(id, "1.2", "https://lacdao.hungyen.gov.vn/van-ban/ket-noi-mang", DocumentInfo.None));
    }

    [Fact]
    public async Task AfterTheDeadline_EntryEvidenceAndSubmission_AreRefusedNamingTheDate_AndNothingChanges()
    {
        var (roundId, a) = await fx.Entry.NewRoundAsync();
        var id = a["C1"];
        await FillOnTimeAsync(id, "C1");
        var deadline = Today.AddDays(-725);
        await SetEntryDeadlineAsync(roundId, deadline);
        var date = VietnamTime.Date(deadline);

        var save = await fx.Entry.SaveAsync(fx.Officer(), id, "1.6", "80", expectedVersion: 1);
        Assert.False(save.Saved);
        Assert.Contains($"Đã quá hạn nhập và nộp số liệu của đợt đánh giá ({date})", save.Error);

        await using (var s = fx.Entry.Db.ScopeAs(fx.Officer()))
        {
            var ex = await Assert.ThrowsAsync<AccessDeniedException>(() => s.ServiceProvider.GetRequiredService<AddEvidenceLink>().HandleAsync(
                new AddEvidenceLinkRequest(id, "1.4", "https://lacdao.hungyen.gov.vn/van-ban/bien-ban-hop", DocumentInfo.None)));
            Assert.Contains(date, ex.Message);
        }
        var target = await fx.Entry.AsAsync<RegisterTargetLevel, CommandResult>(fx.Officer(), r => r.HandleAsync(id, 3));
        Assert.Contains(date, target.Error);

        var submit = await SubmitAsync(fx.Officer(), id);
        Assert.False(submit.Submitted);
        Assert.Contains(submit.Issues, i => i.IsError && i.Message.Contains(date, StringComparison.Ordinal));

        var model = await fx.Entry.AsAsync<AssessmentQueries, EntryModel>(fx.Officer(), q => q.GetEntryAsync(id));
        Assert.True(model.ReadOnly);
        Assert.False(model.Can.Submit);
        Assert.Equal(DeadlineVerdict.Refused, model.Deadline!.Decision.Verdict);

        var row = await RowAsync(id);
        Assert.Equal(AssessmentStatus.Draft, row.Status);
        Assert.Null(row.SubmittedAt);
        await using var owner = fx.Entry.Db.OwnerContext();
        Assert.Equal("72.5", await owner.AssessmentValues.Where(v => v.AssessmentId == id && v.Address == "1.6").Select(v => v.ValueJson).SingleAsync());
        Assert.Equal(1, await owner.EvidenceFiles.CountAsync(e => e.AssessmentId == id));
    }

    [Fact]
    public async Task AfterTheDeadline_TheSpreadsheetImport_IsRefusedWhole_NamingTheDate()
    {
        var (roundId, a) = await fx.Entry.NewRoundAsync();
        var id = a["C1"];
        var template = await fx.Entry.AsAsync<EntryTemplate, SpreadsheetFile>(fx.Officer(), t => t.BuildAsync(id)); // downloaded on time
        var deadline = Today.AddDays(-2);
        await SetEntryDeadlineAsync(roundId, deadline);

        var result = await fx.Entry.AsAsync<ImportEntryTemplate, ImportEntryResult>(fx.Officer(),
            i => i.HandleAsync(id, new MemoryStream(template.Content), "mau-nhap.xlsx"));
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Contains($"({VietnamTime.Date(deadline)})", error.Message);
        Assert.EndsWith("Không có giá trị nào được lưu.", error.Message);
        await using var owner = fx.Entry.Db.OwnerContext();
        Assert.False(await owner.AssessmentValues.AnyAsync(v => v.AssessmentId == id));
        // The refusal is in the audit trail, like every refused import.
        Assert.True(await owner.AuditLog.AnyAsync(e => e.Action == "AccessDenied" && e.EntityId == id.ToString() && e.Detail!.Contains(VietnamTime.Date(deadline))));
    }

    [Fact]
    public async Task AUnitExtension_LetsThatUnitEnterAndSubmitOnTime_OnlyThatUnit_AndIsAudited()
    {
        var (roundId, a) = await fx.Entry.NewRoundAsync();
        await FillOnTimeAsync(a["C1"], "C1");
        await SetEntryDeadlineAsync(roundId, Today.AddDays(-10));
        var newDeadline = Today.AddDays(3);

        // Who may grant, and what a grant needs.
        await Assert.ThrowsAsync<AccessDeniedException>(() => GrantAsync(fx.Officer(), a["C1"], newDeadline, "Tự gia hạn"));
        Assert.Equal("Nhập lý do gia hạn cho đơn vị.", (await GrantAsync(fx.Reviewer(), a["C1"], newDeadline, "  ")).Error);
        Assert.Contains("đã qua", (await GrantAsync(fx.Reviewer(), a["C1"], Today.AddDays(-1), "Bão lũ")).Error);

        var granted = await GrantAsync(fx.Reviewer(), a["C1"], newDeadline, "Xã bị ảnh hưởng bão số 3, mất điện 5 ngày");
        Assert.True(granted.Ok, granted.Error);

        Assert.True((await fx.Entry.SaveAsync(fx.Officer(), a["C1"], "1.6", "80", expectedVersion: 1)).Saved);
        var c2 = await fx.Entry.SaveAsync(fx.Officer("C2"), a["C2"], "1.6", "80");
        Assert.Contains("Đã quá hạn nhập và nộp số liệu", c2.Error); // C2 has no extension

        var model = await fx.Entry.AsAsync<AssessmentQueries, EntryModel>(fx.Officer(), q => q.GetEntryAsync(a["C1"]));
        Assert.Equal((DeadlineBasis.UnitExtension, newDeadline), (model.Deadline!.Decision.Basis, model.Deadline.Decision.Deadline!.Value));
        Assert.Equal("Xã bị ảnh hưởng bão số 3, mất điện 5 ngày", model.Deadline.ExtensionReason);

        var submit = await SubmitAsync(fx.Officer(), a["C1"]);
        Assert.True(submit.Submitted, string.Join("; ", submit.Issues.Select(i => i.Message)));
        Assert.Null((await RowAsync(a["C1"])).LateDays); // on time within its extension

        await using var owner = fx.Entry.Db.OwnerContext();
        var extension = await owner.DeadlineExtensions.SingleAsync(x => x.AssessmentId == a["C1"]);
        Assert.Equal((newDeadline, "reviewer-d", "Lê Minh Tuấn"), (extension.NewDeadline, extension.GrantedBy, extension.GrantedByName));
        var audit = await owner.AuditLog.Where(e => e.Action == "UnitDeadlineExtended" && e.EntityId == extension.Id.ToString()).SingleAsync();
        Assert.Equal(fx.Entry.Units["C1"], audit.UnitId);
        Assert.Equal("reviewer-d", audit.UserId);
        Assert.Null(audit.Before);
        Assert.Equal(newDeadline.ToString("yyyy-MM-dd"), JsonDocument.Parse(audit.After!).RootElement.GetProperty("NewDeadline").GetString());
        Assert.Contains("bão số 3", audit.Detail);
        // The row itself is audited too, as every entity change is.
        Assert.True(await owner.AuditLog.AnyAsync(e => e.EntityType == nameof(DeadlineExtension) && e.EntityId == extension.Id.ToString() && e.Action != "UnitDeadlineExtended"));

        // Submitted: no extension is needed any more.
        Assert.Contains("đã nộp", (await GrantAsync(fx.Admin(), a["C1"], newDeadline.AddDays(2), "Thêm")).Error);
    }

    [Fact]
    public async Task AllowLate_AcceptsTheSubmission_MarkedLateByTheDays_InTheListAndTheQueue()
    {
        var (roundId, a) = await fx.Entry.NewRoundAsync();
        await FillOnTimeAsync(a["C1"], "C1");
        await SetEntryDeadlineAsync(roundId, Today.AddDays(-3));
        Assert.False((await fx.Entry.SaveAsync(fx.Officer(), a["C1"], "1.6", "80", expectedVersion: 1)).Saved);

        var rules = await fx.Entry.AsAsync<RoundAdmin, CommandResult>(fx.Admin(), r => r.SetDeadlineRulesAsync(roundId, allowLateSubmission: true, resubmitDays: 10));
        Assert.True(rules.Succeeded, rules.Error);
        Assert.True((await fx.Entry.SaveAsync(fx.Officer(), a["C1"], "1.6", "80", expectedVersion: 1)).Saved);
        var model = await fx.Entry.AsAsync<AssessmentQueries, EntryModel>(fx.Officer(), q => q.GetEntryAsync(a["C1"]));
        Assert.Equal((DeadlineVerdict.Late, 3), (model.Deadline!.Decision.Verdict, model.Deadline.Decision.DaysLate));
        Assert.True(model.Can.Submit);

        var submit = await SubmitAsync(fx.Officer(), a["C1"]);
        Assert.True(submit.Submitted, string.Join("; ", submit.Issues.Select(i => i.Message)));
        Assert.Equal(3, (await RowAsync(a["C1"])).LateDays);

        var mine = await fx.Entry.AsAsync<AssessmentQueries, IReadOnlyList<AssessmentListItem>>(fx.Officer(), q => q.ListMineAsync());
        Assert.Equal(3, mine.Single(x => x.Id == a["C1"]).LateDays);
        var queue = await fx.Entry.AsAsync<ReviewQueue, IReadOnlyList<ReviewQueueItem>>(fx.Reviewer(), q => q.ListAsync(new ReviewQueueFilter(roundId, QueueView.All)));
        var item = queue.Single(x => x.AssessmentId == a["C1"]);
        Assert.Equal((3, "Hạn thẩm tra"), (item.LateDays!.Value, item.DeadlineLabel));
        var entry = await fx.Entry.AsAsync<AssessmentQueries, EntryModel>(fx.Officer(), q => q.GetEntryAsync(a["C1"]));
        Assert.Equal(3, entry.Deadline!.LateDays);

        // The ranking workbook, opened and read back: the status cell carries the mark.
        var file = await fx.Entry.AsAsync<ExportRanking, SpreadsheetFile>(fx.Admin(), r => r.HandleAsync(roundId));
        using var x = new Spreadsheets.Xlsx(file.Content);
        var c1Row = x.RowOf(ExportRanking.SheetName, "Xã C1", "B");
        Assert.Equal("Đã nộp — Nộp muộn 3 ngày", x.Cell(ExportRanking.SheetName, $"D{c1Row}").Text);
        // …and the unit's own workbook and the review page's model.
        var book = await fx.Entry.AsAsync<AssessmentWorkbook, SpreadsheetFile>(fx.Reviewer(), w => w.BuildAsync(a["C1"]));
        using var own = new Spreadsheets.Xlsx(book.Content);
        Assert.Equal("Trạng thái: Đã nộp — Nộp muộn 3 ngày", own.Cell(AssessmentWorkbook.SheetName, "A5").Text);
        Assert.Equal(3, (await fx.ReviewAsync(fx.Reviewer(), a["C1"])).LateDays);

        await using var owner = fx.Entry.Db.OwnerContext();
        var change = await owner.AuditLog.Where(e => e.Action == "RoundDeadlineRulesChanged" && e.EntityId == roundId.ToString()).SingleAsync();
        Assert.False(JsonDocument.Parse(change.Before!).RootElement.GetProperty("AllowLateSubmission").GetBoolean());
        Assert.True(JsonDocument.Parse(change.After!).RootElement.GetProperty("AllowLateSubmission").GetBoolean());
    }

    [Fact]
    public async Task ExtendingTheRound_AfterEveryDeadlinePassed_ReopensEntry_AndMovesTheLaterDeadlines()
    {
        var (roundId, a) = await fx.Entry.NewRoundAsync();
        await using (var db = fx.Entry.Db.OwnerContext())
            await db.Database.ExecuteSqlAsync(
                $"update assessment_rounds set entry_deadline = {Today.AddDays(-30)}, review_deadline = {Today.AddDays(-26)}, council_deadline = {Today.AddDays(-16)} where id = {roundId}");
        Assert.False((await fx.Entry.SaveAsync(fx.Officer(), a["C1"], "1.6", "80")).Saved);

        var extended = await fx.Entry.AsAsync<RoundAdmin, CommandResult>(fx.Admin(), r => r.ExtendAsync(roundId, Today.AddDays(5), "Tỉnh gia hạn chung"));
        Assert.True(extended.Succeeded, extended.Error);
        Assert.True((await fx.Entry.SaveAsync(fx.Officer(), a["C1"], "1.6", "80")).Saved);
        await using var owner = fx.Entry.Db.OwnerContext();
        var round = await owner.AssessmentRounds.SingleAsync(r => r.Id == roundId);
        Assert.Equal((Today.AddDays(5), Today.AddDays(9), Today.AddDays(19)), (round.EntryDeadline, round.ReviewDeadline, round.CouncilDeadline));
    }

    [Fact]
    public async Task AReturn_GivesItsOwnResubmissionWindow_ThenRefuses_UnlessTheRoundExemptsReturns()
    {
        var (roundId, a) = await fx.Entry.NewRoundAsync();
        var id = a["C1"];
        await FillOnTimeAsync(id, "C1");
        Assert.True((await SubmitAsync(fx.Officer(), id)).Submitted);
        await SetEntryDeadlineAsync(roundId, Today.AddDays(-40));
        Assert.True((await fx.TransitionAsync(fx.Reviewer(), id, WorkflowAction.StartDistrictReview)).Ok);
        Assert.True((await fx.TransitionAsync(fx.Reviewer(), id, WorkflowAction.ReturnToUnit, "Bổ sung số liệu 1.6")).Ok);

        // Returned today: ten days to resubmit (the default), although the entry deadline passed 40 days ago.
        Assert.True((await fx.Entry.SaveAsync(fx.Officer(), id, "1.6", "80", expectedVersion: 1)).Saved);
        var queue = await fx.Entry.AsAsync<ReviewQueue, IReadOnlyList<ReviewQueueItem>>(fx.Reviewer(), q => q.ListAsync(new ReviewQueueFilter(roundId, QueueView.All)));
        var item = queue.Single(x => x.AssessmentId == id);
        Assert.Equal(("Hạn nộp bổ sung", Today.AddDays(10), false), (item.DeadlineLabel, item.Deadline, item.Overdue));

        // Returned 20 days ago: the window closed 10 days ago.
        await using (var db = fx.Entry.Db.OwnerContext())
            await db.Database.ExecuteSqlAsync($"update assessments set returned_at = {DateTimeOffset.UtcNow.AddDays(-20)} where id = {id}");
        var refused = await fx.Entry.SaveAsync(fx.Officer(), id, "1.6", "81", expectedVersion: 2);
        Assert.Contains("Đã quá hạn bổ sung sau khi bị trả lại", refused.Error);
        var overdue = (await fx.Entry.AsAsync<ReviewQueue, IReadOnlyList<ReviewQueueItem>>(fx.Reviewer(), q => q.ListAsync(new ReviewQueueFilter(roundId, QueueView.All))))
            .Single(x => x.AssessmentId == id);
        Assert.True(overdue.Overdue);
        Assert.Equal(10, overdue.DaysOverdue);

        // A round that exempts returns (0 days) lets the unit finish and resubmit on time.
        Assert.True((await fx.Entry.AsAsync<RoundAdmin, CommandResult>(fx.Admin(), r => r.SetDeadlineRulesAsync(roundId, false, 0))).Succeeded);
        Assert.True((await fx.Entry.SaveAsync(fx.Officer(), id, "1.6", "81", expectedVersion: 2)).Saved);
        Assert.True((await SubmitAsync(fx.Officer(), id)).Submitted);
        var row = await RowAsync(id);
        Assert.Equal((AssessmentStatus.Submitted, (int?)null, (DateTimeOffset?)null), (row.Status, row.LateDays, row.ReturnedAt));
    }

    [Fact]
    public async Task DeadlineRules_OutOfRange_AreRefused()
    {
        var (roundId, _) = await fx.Entry.NewRoundAsync();
        var bad = await fx.Entry.AsAsync<RoundAdmin, CommandResult>(fx.Admin(), r => r.SetDeadlineRulesAsync(roundId, true, 91));
        Assert.Equal("Số ngày bổ sung sau khi trả lại phải từ 0 đến 90 (0: không giới hạn).", bad.Error);
        await Assert.ThrowsAsync<AccessDeniedException>(() => fx.Entry.AsAsync<RoundAdmin, CommandResult>(fx.Reviewer(), r => r.SetDeadlineRulesAsync(roundId, true, 5)));
    }
}
