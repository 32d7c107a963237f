using DtiPortal.Application.Assessments;
using DtiPortal.Application.PublicResults;
using DtiPortal.Application.Reporting;
using DtiPortal.Application.Reporting.Reports;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Spreadsheets;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Reviews;
using DtiPortal.Domain.Scoring;
using DtiPortal.Integration.Tests.Spreadsheets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Reviews;

/// <summary>
/// Issue 15, "one score everywhere": for one assessment of a set with a peer-relative criterion (1.5 of the test set, min-max
/// over the round), every place that shows a total — "Đánh giá của tôi", the entry page, the review queue, the dashboard, the
/// ranking and assessment spreadsheets read back, the report's document model, the stored result the minutes and decision
/// print, the public pages — shows the same number: the round-cohort score before approval, the recognised result after
/// (even when another unit's figures move the live cohort later).
/// </summary>
public class OneScoreEverywhereTests(ReviewFixture fx) : IClassFixture<ReviewFixture>
{
    [Fact]
    public async Task EveryPlace_ShowsTheCohortScoreBeforeApproval_AndTheRecognisedResultAfter()
    {
        var (roundId, a) = await fx.Entry.NewRoundAsync();
        var id = a["C1"];
        await fx.FillAndSubmitAsync(id, "C1", digitalHouseholds: "1.200");
        await fx.FillAndSubmitAsync(a["C2"], "C2", digitalHouseholds: "2.000");

        // ---- before approval: the score against the round's cohort -------------------------------------------------
        var review = await fx.ReviewAsync(fx.Chair(), id);
        var cohort = review.SelfTotal;
        // The lower ratio of two scores 0 in min-max; scored alone (the list before issue 15) it was the best and got its 10.
        var peer = review.Criteria.Single(c => c.Code == "1.5");
        Assert.Equal((0m, 10m), (peer.SelfPoints, peer.Max));

        var before = await EveryPlaceAsync(roundId, id, approved: false);
        foreach (var (place, total) in before) Assert.True(cohort == total, $"{place}: {total} ≠ {cohort} (điểm theo nhóm đơn vị của đợt)");

        // ---- approval, then C2 is returned and lowers its households: live, C1 would now be the best of 1.5 --------------
        await fx.ForceAsync(id, AssessmentStatus.UnderCouncilAppraisal, hasDistrictTier: false);
        Assert.True((await fx.TransitionAsync(fx.Chair(), id, WorkflowAction.Approve)).Ok);
        var recognised = (await fx.ReviewAsync(fx.Chair(), id)).Result!.Total;
        await fx.ForceAsync(a["C2"], AssessmentStatus.Draft);
        Assert.True((await fx.Entry.SaveAsync(fx.Officer("C2"), a["C2"], "1.5.a", "100", expectedVersion: 1)).Saved);
        var (live, _) = await fx.Entry.AsAsync<ScoreAssessment, (UnitResult, ShownScore)>(fx.Officer(), s => s.ShownAsync(id));
        Assert.NotEqual(recognised, live.Total); // the live cohort moved; the recognised result must not

        var after = await EveryPlaceAsync(roundId, id, approved: true);
        foreach (var (place, total) in after) Assert.True(recognised == total, $"{place}: {total} ≠ {recognised} (kết quả được công nhận)");

        // ---- published: the public pages say the same ------------------------------------------------------------------
        Assert.True((await fx.Entry.AsAsync<PublishRound, ReviewResult>(fx.Admin(), p => p.HandleAsync(roundId))).Ok);
        var published = await EveryPlaceAsync(roundId, id, approved: true);
        await using (var scope = fx.Entry.Db.ScopeAs(FixedUnitScope.Nobody))
        {
            var visitor = scope.ServiceProvider.GetRequiredService<PublicResultsQueries>();
            published["trang công bố: kết quả đơn vị"] = (await visitor.UnitAsync(roundId, id))!.Total;
            published["trang công bố: bảng xếp hạng"] = (await visitor.RoundAsync(roundId))!.Ranking.Rows.Single(r => r.AssessmentId == id).Total;
        }
        Assert.Equal(after.Count + 2, published.Count);
        foreach (var (place, total) in published) Assert.True(recognised == total, $"{place} (đã công bố): {total} ≠ {recognised}");
    }

    /// <summary>The total every place shows for <paramref name="id"/> (commune C1 of district D, province P), by place.</summary>
    private async Task<Dictionary<string, decimal?>> EveryPlaceAsync(int roundId, int id, bool approved)
    {
        var places = new Dictionary<string, decimal?>();
        var list = await fx.Entry.AsAsync<AssessmentQueries, IReadOnlyList<AssessmentListItem>>(fx.Officer(), q => q.ListMineAsync());
        places["Đánh giá của tôi"] = list.Single(x => x.Id == id).Total;
        var (_, shown) = await fx.Entry.AsAsync<ScoreAssessment, (UnitResult, ShownScore)>(fx.Officer(), s => s.ShownAsync(id));
        places["trang nhập số liệu"] = shown.Total;
        Assert.Equal(approved, shown.Recognised);

        var queue = await fx.Entry.AsAsync<ReviewQueue, IReadOnlyList<ReviewQueueItem>>(fx.Chair(), q => q.ListAsync(new ReviewQueueFilter(roundId, QueueView.All)));
        var item = queue.Single(x => x.AssessmentId == id);
        places["hàng chờ thẩm định"] = approved ? item.AppraisedTotal : item.SelfTotal;
        var model = await fx.ReviewAsync(fx.Chair(), id);
        places["trang thẩm định"] = approved ? model.Result!.Total : model.SelfTotal;

        var dashboard = await fx.Entry.AsAsync<DashboardQueries, DashboardModel>(fx.Admin(), d => d.GetAsync(roundId));
        places["tổng quan (xếp hạng)"] = dashboard.Ranking.Single(r => r.AssessmentId == id).Score;

        var ranking = await fx.Entry.AsAsync<ExportRanking, RankingTable>(fx.Admin(), r => r.RowsAsync(roundId));
        places["bảng xếp hạng"] = ranking.Rows.Single(r => r.AssessmentId == id).Score;
        var rankingFile = await fx.Entry.AsAsync<ExportRanking, SpreadsheetFile>(fx.Admin(), r => r.HandleAsync(roundId));
        using (var x = new Xlsx(rankingFile.Content))
        {
            var row = x.RowOf(ExportRanking.SheetName, "Xã C1", column: "B");
            places["tệp Excel xếp hạng"] = x.Cell(ExportRanking.SheetName, $"{(approved ? "F" : "E")}{row}").Number;
        }
        var workbook = await fx.Entry.AsAsync<AssessmentWorkbook, SpreadsheetFile>(fx.Officer(), w => w.BuildAsync(id));
        using (var x = new Xlsx(workbook.Content))
        {
            var row = x.RowOf(AssessmentWorkbook.SheetName, "Tổng cộng", column: "B");
            places["tệp Excel bản đánh giá"] = x.Cell(AssessmentWorkbook.SheetName, $"{(approved ? "H" : "F")}{row}").Number;
        }
        // The PDF report's model (the web host registers ReportQueries with AddDtiReports; built here from the same services).
        await using (var scope = fx.Entry.Db.ScopeAs(fx.Officer()))
        {
            var report = await ActivatorUtilities.CreateInstance<ReportQueries>(scope.ServiceProvider).UnitAsync(id, audited: false);
            places["báo cáo PDF (mô hình văn bản)"] = report.ResultTotal;
        }

        if (approved)
        {
            // What the minutes and the decision print: the newest stored result of the approval.
            await using var db = fx.Entry.Db.OwnerContext();
            places["biên bản, quyết định (kết quả lưu khi phê duyệt)"] = await db.RecognisedResults.Where(r => r.AssessmentId == id)
                .OrderByDescending(r => r.Version).Select(r => (decimal?)r.Total).FirstAsync();
        }
        return places;
    }
}
