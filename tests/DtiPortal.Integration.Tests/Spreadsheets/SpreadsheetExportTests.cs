using DocumentFormat.OpenXml.Spreadsheet;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Spreadsheets;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Reviews;
using DtiPortal.Integration.Tests.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Spreadsheets;

/// <summary>
/// Issue 7's exports, opened with DocumentFormat.OpenXml and read back: the assessment in the seeds' layout (the engine's
/// numbers in numeric cells, text that starts with "=" stored as literal text) and the round's ranking.
/// </summary>
public class SpreadsheetExportTests(ReviewFixture fx) : IClassFixture<ReviewFixture>
{
    private const string Sheet = AssessmentWorkbook.SheetName;

    [Fact]
    public async Task AssessmentWorkbook_ReadBack_HasTheSeedLayoutAndTheEngineScores_AndFormulaLikeTextIsLiteral()
    {
        var (_, a) = await fx.Entry.NewRoundAsync();
        var id = a["C1"];
        Assert.True((await fx.Entry.SaveAsync(fx.Officer(), id, "general:1.20", "=1+1")).Saved); // a contact name that looks like a formula
        await fx.FillAndSubmitAsync(id);
        Assert.True((await fx.TransitionAsync(fx.Reviewer(), id, WorkflowAction.StartDistrictReview)).Ok);
        const string reason = "=HYPERLINK(\"http://evil.example\",\"Bấm vào đây\")";
        var appraisal = await fx.AppraiseAsync(fx.Reviewer(), id, "1.4", AppraisalVerdict.Corrected, reason, new() { ["1.4.a"] = "6" });
        Assert.True(appraisal.Ok, appraisal.Error);
        var model = await fx.ReviewAsync(fx.Reviewer(), id);

        var file = await fx.Entry.AsAsync<AssessmentWorkbook, SpreadsheetFile>(fx.Officer(), w => w.BuildAsync(id));

        Assert.EndsWith(".xlsx", file.FileName);
        using var x = new Xlsx(file.Content);
        Assert.Empty(x.ValidationErrors());
        Assert.Equal([AssessmentWorkbook.SheetName, AssessmentWorkbook.DataSheetName], x.SheetNames);
        Assert.Equal("KẾT QUẢ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ", x.Cell(Sheet, "A1").Text);
        Assert.Contains("Xã C1", x.Cell(Sheet, "A2").Text);
        Assert.Contains("Cấp huyện đang thẩm tra", x.Cell(Sheet, "A5").Text);
        Assert.Contains("(giờ Việt Nam)", x.Cell(Sheet, "A6").Text);
        var header = "ABCDEFGHI".Select(c => x.Cell(Sheet, $"{c}{AssessmentWorkbook.HeaderRow}").Text).ToList();
        Assert.Equal(
            ["STT", "Chỉ số", "Điểm tối đa", "Cách xác định", "Tài liệu kiểm chứng", "Điểm tự đánh giá", "Điểm thẩm định", "Điểm đạt được", "Ghi chú"],
            header);
        var pane = x.Sheet(Sheet).Descendants<Pane>().Single();
        Assert.Equal(PaneStateValues.Frozen, pane.State!.Value);
        Assert.Equal(AssessmentWorkbook.HeaderRow, pane.VerticalSplit!.Value);

        foreach (var c in model.Criteria)
        {
            var row = x.RowOf(Sheet, c.Code);
            Assert.Equal(c.Name, x.Cell(Sheet, $"B{row}").Text);
            Assert.Equal(c.Max, x.Cell(Sheet, $"C{row}").Number);
            Assert.Equal(c.SelfPoints, x.Cell(Sheet, $"F{row}").Number);
            Assert.Equal(c.AppraisedPoints, x.Cell(Sheet, $"G{row}").Number);
            Assert.Equal(c.AchievedPoints, x.Cell(Sheet, $"H{row}").Number);
            Assert.Equal(MethodDescriber.Describe(model.Set.Find(c.Code)!), x.Cell(Sheet, $"D{row}").Text);
            Assert.False(x.Cell(Sheet, $"F{row}").HasFormula);
        }
        Assert.NotEqual(model.Criteria.Single(c => c.Code == "1.4").SelfPoints, model.Criteria.Single(c => c.Code == "1.4").AppraisedPoints);
        var evidence = x.Cell(Sheet, $"E{x.RowOf(Sheet, "1.2")}").Text;
        Assert.Contains("Văn bản, tài liệu chứng minh (bắt buộc)", evidence);
        Assert.Contains("Đã đính kèm: 1", evidence);
        var totals = x.RowOf(Sheet, "Tổng cộng", column: "B");
        Assert.Equal(model.MaxTotal, x.Cell(Sheet, $"C{totals}").Number);
        Assert.Equal(model.SelfTotal, x.Cell(Sheet, $"F{totals}").Number);
        Assert.Equal(model.AppraisedTotal, x.Cell(Sheet, $"G{totals}").Number);
        Assert.Equal(model.AchievedTotal, x.Cell(Sheet, $"H{totals}").Number);

        // The reviewer's reason (it looks like a formula) is in the note as literal text.
        var note = x.Cell(Sheet, $"I{x.RowOf(Sheet, "1.4")}");
        Assert.False(note.HasFormula);
        Assert.Equal(CellValues.InlineString, note.Type);
        Assert.Equal("Cấp huyện thẩm tra – Điều chỉnh: " + reason, note.Text);

        // Sheet "Số liệu": every figure as entered, numbers as numbers, the "=1+1" name as literal text.
        const string data = AssessmentWorkbook.DataSheetName;
        Assert.Equal(["Mã ô", "Tiêu chí", "Nội dung", "Đơn vị tính", "Giá trị", "Ghi chú"],
            "ABCDEF".Select(c => x.Cell(data, $"{c}{AssessmentWorkbook.DataHeaderRow}").Text).ToList());
        var name = x.Cell(data, $"E{x.RowOf(data, "general:1.20")}");
        Assert.False(name.HasFormula);
        Assert.Equal("'=1+1", name.Text);
        Assert.Equal("=1+1", TableFile.Unneutralise(name.Text!));
        Assert.Equal(9120m, x.Cell(data, $"E{x.RowOf(data, "general:1.4")}").Number);
        Assert.Equal(6120m, x.Cell(data, $"E{x.RowOf(data, "1.3.a")}").Number);
        Assert.Equal(72.5m, x.Cell(data, $"E{x.RowOf(data, "1.6")}").Number);
        Assert.Equal("Có", x.Cell(data, $"E{x.RowOf(data, "1.2")}").Text);
        Assert.Contains("Phương án 1: Chủ tịch UBND xã", x.Cell(data, $"F{x.RowOf(data, "1.1")}").Text);
        Assert.Contains("sửa thành: 6", x.Cell(data, $"F{x.RowOf(data, "1.4.a")}").Text);
    }

    /// <summary>A set whose texts a malicious or careless author made look like formulas.</summary>
    private const string InjectionYaml = """
        format: dti-criteria/1
        id: test-commune-injection
        version: 1
        name: Bộ chỉ số thử ký tự công thức
        level: commune
        year: 2024
        decision: { number: 2/QĐ-TEST, date: 2024-01-01, issuer: UBND tỉnh thử nghiệm }
        maxPoints: 10
        tree:
          - code: "1"
            name: "+Nhóm thử"
            max: 10
            children:
              - code: "1.1"
                name: "=HYPERLINK(\"http://evil.example\",\"Bấm vào đây\")"
                max: 10
                method: yesno
                evidence: ["@SUM(1,2)", "Văn bản"]
        """;

    [Fact]
    public async Task AssessmentWorkbook_CriterionTextsStartingWithFormulaCharacters_ComeBackAsLiteralText()
    {
        int versionId;
        await using (var s = fx.Entry.Db.ScopeAs(FixedUnitScope.System))
        {
            var loaded = await s.ServiceProvider.GetRequiredService<DtiPortal.Application.Criteria.LoadCriteriaSet>().HandleAsync(InjectionYaml, "test");
            Assert.True(loaded.Succeeded, loaded.Message);
            await using var owner = fx.Entry.Db.OwnerContext();
            versionId = await owner.CriteriaSetVersions.Where(v => v.SetId == "test-commune-injection").Select(v => v.Id).SingleAsync();
        }
        var request = fx.Entry.Request("Đợt thử ký tự công thức") with { CriteriaSetVersionId = versionId };
        var created = await fx.Entry.AsAsync<RoundAdmin, CreateRoundResult>(fx.Entry.ProvincialAdmin(), r => r.CreateAsync(request));
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Message)));
        await using (var owner = fx.Entry.Db.OwnerContext())
        {
            var id = await owner.Assessments.Where(a => a.RoundId == created.RoundId && a.UnitId == fx.Entry.Units["C1"]).Select(a => a.Id).SingleAsync();
            Assert.True((await fx.Entry.SaveAsync(fx.Officer(), id, "1.1", "có")).Saved);

            var file = await fx.Entry.AsAsync<AssessmentWorkbook, SpreadsheetFile>(fx.Officer(), w => w.BuildAsync(id));

            using var x = new Xlsx(file.Content);
            var row = x.RowOf(Sheet, "1.1");
            var name = x.Cell(Sheet, $"B{row}");
            Assert.False(name.HasFormula);
            Assert.Equal(CellValues.InlineString, name.Type);
            Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"Bấm vào đây\")", name.Text);
            Assert.Equal("'@SUM(1,2); Văn bản", x.Cell(Sheet, $"E{row}").Text);
            Assert.Equal("'+Nhóm thử", x.Cell(Sheet, $"B{x.RowOf(Sheet, "1")}").Text);
            Assert.Equal(10m, x.Cell(Sheet, $"F{row}").Number);
            Assert.DoesNotContain(x.Sheet(Sheet).Descendants<CellFormula>(), _ => true);
        }
    }

    [Fact]
    public async Task AssessmentWorkbook_BeforeAnyReview_LeavesAppraisedAndAchievedEmpty_AndADepartmentOfficerSeesOnlyItsCriteria()
    {
        var (_, a) = await fx.Entry.NewRoundAsync();
        var id = a["C1"];
        Assert.True((await fx.Entry.SaveAsync(fx.Officer(), id, "1.1", "1")).Saved);

        var file = await fx.Entry.AsAsync<AssessmentWorkbook, SpreadsheetFile>(fx.Officer(), w => w.BuildAsync(id));
        using (var x = new Xlsx(file.Content))
        {
            var row = x.RowOf(Sheet, "1.1");
            Assert.Equal(20m, x.Cell(Sheet, $"F{row}").Number);
            Assert.Null(x.Cell(Sheet, $"G{row}").Number);
            Assert.Null(x.Cell(Sheet, $"H{row}").Number);
            Assert.StartsWith("Chưa thẩm định", x.Cell(Sheet, "A7").Text);
        }

        var mine = await fx.Entry.AsAsync<AssessmentWorkbook, SpreadsheetFile>(fx.Entry.DepartmentOfficer(), w => w.BuildAsync(id));
        using var d = new Xlsx(mine.Content);
        Assert.Equal(20m, d.Cell(Sheet, $"F{d.RowOf(Sheet, "1.1")}").Number);
        Assert.Throws<KeyNotFoundException>(() => d.RowOf(Sheet, "1.4"));
        Assert.Throws<KeyNotFoundException>(() => d.RowOf(AssessmentWorkbook.DataSheetName, "1.4.a"));
    }

    [Fact]
    public async Task AssessmentWorkbook_OfAnotherCommune_IsRefused()
    {
        var (_, a) = await fx.Entry.NewRoundAsync();
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            fx.Entry.AsAsync<AssessmentWorkbook, SpreadsheetFile>(fx.Officer("C2"), w => w.BuildAsync(a["C1"])));
    }

    [Fact]
    public async Task Ranking_ReadBack_RanksTheRecognisedOnTheirResultAndOthersOnTheLiveSelfScore()
    {
        var (roundId, a) = await fx.Entry.NewRoundAsync();
        await fx.FillAndSubmitAsync(a["C1"], "C1", digitalHouseholds: "1.200");
        await fx.FillAndSubmitAsync(a["C2"], "C2", digitalHouseholds: "2.000");
        await fx.ForceAsync(a["C1"], AssessmentStatus.UnderCouncilAppraisal, hasDistrictTier: false);
        Assert.True((await fx.TransitionAsync(fx.Chair(), a["C1"], WorkflowAction.Approve)).Ok);
        var c1 = await fx.ReviewAsync(fx.Chair(), a["C1"]);
        var c2 = await fx.ReviewAsync(fx.Chair(), a["C2"]);

        var table = await fx.Entry.AsAsync<ExportRanking, RankingTable>(fx.Admin(), r => r.RowsAsync(roundId));

        Assert.Equal(["Xã C2", "Xã C1", "Xã C3"], table.Rows.Select(r => r.UnitName).ToList());
        var recognised = table.Rows.Single(r => r.AssessmentId == a["C1"]);
        Assert.True(recognised.Recognised);
        Assert.Equal(c1.Result!.Total, recognised.AchievedTotal);
        Assert.Equal(c1.Result.SelfTotal, recognised.SelfTotal);
        var live = table.Rows.Single(r => r.AssessmentId == a["C2"]);
        Assert.False(live.Recognised);
        Assert.Null(live.AchievedTotal);
        Assert.Equal(c2.SelfTotal, live.SelfTotal);
        Assert.Equal(c2.Criteria.Single(c => c.Code == "1").SelfPoints, live.IndexPoints.Single());
        Assert.Equal([1, 2, 3], table.Rows.Select(r => r.Rank).ToList());
        Assert.Equal(0m, table.Rows[2].SelfTotal);

        var file = await fx.Entry.AsAsync<ExportRanking, SpreadsheetFile>(fx.Reviewer(), r => r.HandleAsync(roundId, fx.Entry.Units["D"]));
        using var x = new Xlsx(file.Content);
        Assert.Empty(x.ValidationErrors());
        Assert.Equal([ExportRanking.SheetName, ExportRanking.SummarySheetName], x.SheetNames);
        const string s = ExportRanking.SheetName;
        Assert.Equal(["Xếp hạng", "Đơn vị", "Đơn vị cấp trên", "Trạng thái", "Điểm tự đánh giá", "Điểm đạt được"],
            "ABCDEF".Select(c => x.Cell(s, $"{c}{ExportRanking.HeaderRow}").Text).ToList());
        var first = ExportRanking.HeaderRow + 1;
        Assert.Equal(1m, x.Cell(s, $"A{first}").Number);
        Assert.Equal("Xã C2", x.Cell(s, $"B{first}").Text);
        Assert.Equal("Xã D", x.Cell(s, $"C{first}").Text);
        Assert.Equal("Đã nộp", x.Cell(s, $"D{first}").Text);
        Assert.Equal(c2.SelfTotal, x.Cell(s, $"E{first}").Number);
        Assert.Null(x.Cell(s, $"F{first}").Number);
        Assert.Equal("Đã phê duyệt", x.Cell(s, $"D{first + 1}").Text);
        Assert.Equal(c1.Result.Total, x.Cell(s, $"F{first + 1}").Number);
        const string sum = ExportRanking.SummarySheetName;
        var total = x.RowOf(sum, "Tổng cộng");
        Assert.Equal(3m, x.Cell(sum, $"B{total}").Number);
        Assert.Equal(1m, x.Cell(sum, $"E{total}").Number);

        // A commune officer may not rank its district.
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            fx.Entry.AsAsync<ExportRanking, RankingTable>(fx.Officer(), r => r.RowsAsync(roundId, fx.Entry.Units["D"])));
        // …and without a district sees only its own commune.
        var own = await fx.Entry.AsAsync<ExportRanking, RankingTable>(fx.Officer(), r => r.RowsAsync(roundId));
        Assert.Equal(a["C1"], Assert.Single(own.Rows).AssessmentId);
    }
}
