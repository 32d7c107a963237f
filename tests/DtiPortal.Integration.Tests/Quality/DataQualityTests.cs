using DtiPortal.Application;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Quality;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.Domain.Quality;
using DtiPortal.Domain.Units;
using DtiPortal.Integration.Tests.Assessments;
using DtiPortal.Integration.Tests.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Quality;

/// <summary>
/// The data-quality list on a real PostgreSQL (issue 15): a 2023 round and a 2024 round of province P; commune C1 jumps,
/// commune E3 of another district is far from its peers, and M (formed in 2024 from A1 and A2) is compared with its
/// predecessors' sum. Tenancy: the district reviewer of D sees D's communes only; the commune sees only the marks.
/// </summary>
public sealed class DataQualityTests : IClassFixture<ReviewFixture>, IAsyncLifetime
{
    private readonly ReviewFixture _f;
    private int _round;
    private readonly Dictionary<string, int> _now = [];

    public DataQualityTests(ReviewFixture f) => _f = f;

    private AssessmentFixture Entry => _f.Entry;

    public async Task InitializeAsync()
    {
        if (Entry.Units.ContainsKey("M")) { await LoadIdsAsync(); return; }
        await using var db = Entry.Db.OwnerContext();
        async Task<int> Add(string code, UnitKind kind, string parent, DateOnly? from = null, DateOnly? to = null, params int[] merged)
        {
            var unit = new AdministrativeUnit(code, "Xã " + code, kind, kind.LevelCode(), Entry.Units[parent], from, to);
            foreach (var p in merged) unit.AddPredecessor(p, PredecessorKind.Merged);
            db.Units.Add(unit);
            await db.SaveChangesAsync();
            return Entry.Units[code] = unit.Id;
        }
        await Add("D2", UnitKind.Huyen, "P");
        foreach (var e in new[] { "E1", "E2", "E3" }) await Add(e, UnitKind.Xa, "D2");
        var a1 = await Add("A1", UnitKind.Xa, "D", to: new DateOnly(2023, 12, 31));
        var a2 = await Add("A2", UnitKind.Xa, "D", to: new DateOnly(2023, 12, 31));
        await Add("M", UnitKind.Xa, "D", new DateOnly(2024, 1, 1), null, a1, a2);
        Entry.Db.Services.GetRequiredService<UnitHierarchy>().Invalidate();

        var r2023 = NewRound(2023, "Đợt 2023");
        var r2024 = NewRound(2024, "Đợt 2024");
        db.AssessmentRounds.AddRange(r2023, r2024);
        await db.SaveChangesAsync();
        // 2023: C1 declared 1.000 smartphone users and 10 of 20 meetings; the predecessors of M 400 and 600.
        Submit(db, r2023, "C1", ("1.3.a", 1000), ("1.4.a", 10), ("1.4.b", 20));
        Submit(db, r2023, "A1", ("1.3.a", 400));
        Submit(db, r2023, "A2", ("1.3.a", 600));
        // 2024: C1 tripled (and 18 of 20 meetings); M 1.100 is +10% on 400 + 600; E3 is far from everybody.
        Submit(db, r2024, "C1", ("1.3.a", 3000), ("1.4.a", 18), ("1.4.b", 20));
        Submit(db, r2024, "C2", ("1.3.a", 1000));
        Submit(db, r2024, "C3", ("1.3.a", 1050));
        Submit(db, r2024, "E1", ("1.3.a", 980));
        Submit(db, r2024, "E2", ("1.3.a", 1020));
        Submit(db, r2024, "E3", ("1.3.a", 9000));
        Submit(db, r2024, "M", ("1.3.a", 1100));
        // A draft is not a peer: its half-entered figure must not move the median.
        var draft = new Assessment(r2024, Entry.Units["Q1"]);
        db.Assessments.Add(draft);
        await db.SaveChangesAsync();
        await LoadIdsAsync();
    }

    private async Task LoadIdsAsync()
    {
        await using var db = Entry.Db.OwnerContext();
        _round = await db.AssessmentRounds.Where(r => r.Name == "Đợt 2024" && r.Year == 2024).Select(r => r.Id).SingleAsync();
        var byUnit = await db.Assessments.Where(a => a.RoundId == _round).ToDictionaryAsync(a => a.UnitId, a => a.Id);
        foreach (var (code, id) in Entry.Units) if (byUnit.TryGetValue(id, out var a)) _now[code] = a;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private AssessmentRound NewRound(int year, string name) => new(year, name, Entry.SetVersionId, Entry.Units["P"], UnitLevel.Commune,
        new DateOnly(year, 12, 11), new DateOnly(year, 12, 15), new DateOnly(year, 12, 25), hasDistrictTier: true, DateTimeOffset.UtcNow, "test");

    private void Submit(Application.Data.DtiDbContext db, AssessmentRound round, string unit, params (string Address, decimal Value)[] values)
    {
        var a = new Assessment(round, Entry.Units[unit]);
        a.Submit(DateTimeOffset.UtcNow, Guid.NewGuid(), roundOpen: true, "test");
        db.Assessments.Add(a);
        foreach (var (address, value) in values)
        {
            var v = new AssessmentValue(a, address);
            v.Set(value.ToString(System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow, null, "test");
            db.AssessmentValues.Add(v);
        }
    }

    private async Task<QualityReport> ListAsync(IUnitScope who, QualityFilter? filter = null)
    {
        var r = await Entry.AsAsync<DataQuality, Result<QualityReport>>(who, q => q.RoundAsync(_round, filter));
        Assert.True(r.Ok, r.Error);
        return r.Value!;
    }

    private static (string Unit, string Key, QualityCheck Check, decimal Measure) Row(QualityFlagRow r) => (r.UnitName, r.FigureKey, r.Check, r.Measure);

    [Fact]
    public async Task The_council_sees_every_flag_of_the_province_with_hand_computed_measures()
    {
        var report = await ListAsync(_f.Member());
        // Cohort of 1.3.a (7 submitted; the draft left out): 980 1.000 1.020 1.050 1.100 3.000 9.000 → median 1.050;
        // |deviations| 0 30 50 50 70 1.950 7.950 → MAD 50; M(E3) = 0,6745·7.950/50 = 107,2455; M(C1) = 0,6745·1.950/50 = 26,3055.
        Assert.Equal(
        [
            ("Xã Xã C1", "1.3.a", QualityCheck.ChangeSincePrevious, 2m),
            ("Xã Xã C1", "1.3.a", QualityCheck.FarFromPeers, 26.3055m),
            ("Xã Xã C1", "1.4.a", QualityCheck.ChangeSincePrevious, 0.8m),
            ("Xã Xã C1", "ratio:1.4", QualityCheck.ChangeSincePrevious, 0.8m),
            ("Xã Xã E3", "1.3.a", QualityCheck.FarFromPeers, 107.2455m),
        ], report.Rows.Select(Row));
        Assert.Equal(7, report.CohortSize);
        var jump = report.Rows[0];
        Assert.Equal(("1.000", "3.000", "+200%", "1.3"), (jump.ReferenceText, jump.ValueText, jump.MeasureText, jump.CriterionCode));
        Assert.Equal("Tăng 200% so với đợt trước (Đợt 2023): 1.000 → 3.000; ngưỡng cảnh báo 50%.", jump.Explanation);
        Assert.Equal("Tăng 80% so với đợt trước (Đợt 2023): 50% → 90%; ngưỡng cảnh báo 50%.", report.Rows[3].Explanation);
        // M: 1.100 against 400 + 600 = 1.000 is +10%; compared with either predecessor alone it would have been flagged.
        Assert.DoesNotContain(report.Rows, r => r.UnitName == "Xã Xã M");
    }

    [Fact]
    public async Task A_lower_threshold_flags_the_merged_unit_against_its_predecessors_sum()
    {
        var report = await ListAsync(_f.Member(), new QualityFilter(Check: QualityCheck.ChangeSincePrevious, ChangeShare: 0.05m));
        var m = Assert.Single(report.Rows, r => r.UnitName == "Xã Xã M");
        Assert.Equal((1000m, 1100m, 0.1m), (m.Reference, m.Value, m.Measure));
        Assert.Contains("tổng của các đơn vị tiền thân", m.Explanation);
        Assert.All(report.Rows, r => Assert.Equal(QualityCheck.ChangeSincePrevious, r.Check));
    }

    [Fact]
    public async Task The_district_reviewer_sees_only_the_district_and_the_commune_is_refused()
    {
        var report = await ListAsync(_f.Reviewer());
        Assert.NotEmpty(report.Rows);
        Assert.All(report.Rows, r => Assert.Equal("Xã Xã C1", r.UnitName));
        // E3's peer flag is computed against the whole cohort but never leaves for a reviewer of another district.
        Assert.DoesNotContain(report.Rows, r => r.UnitName == "Xã Xã E3");

        var refused = await Entry.AsAsync<DataQuality, Result<QualityReport>>(_f.Officer("C1"), q => q.RoundAsync(_round));
        Assert.False(refused.Ok);
        Assert.Contains("Chỉ người thẩm định", refused.Error);
    }

    [Fact]
    public async Task A_mark_is_seen_and_answered_by_the_commune_and_the_answer_by_the_reviewer_all_audited()
    {
        var c1 = _now["C1"];
        var marked = await Entry.AsAsync<MarkFollowUp, Result<FollowUpView>>(_f.Reviewer(), m => m.HandleAsync(c1, "1.3.a", "Số người dùng điện thoại thông minh tăng gấp ba, đề nghị giải trình."));
        Assert.True(marked.Ok, marked.Error);
        Assert.Equal("1.3", marked.Value!.CriterionCode);

        // The commune can neither mark nor see another commune's marks; C2's officer cannot answer C1's mark.
        var notMine = await Entry.AsAsync<MarkFollowUp, Result<FollowUpView>>(_f.Officer("C1"), m => m.HandleAsync(c1, "1.3.a", "tự đánh dấu"));
        Assert.False(notMine.Ok);
        var other = await Entry.AsAsync<AnswerFollowUp, Result<FollowUpView>>(_f.Officer("C2"), a => a.HandleAsync(marked.Value.Id, "không phải xã tôi"));
        Assert.False(other.Ok);
        var unknown = await Entry.AsAsync<MarkFollowUp, Result<FollowUpView>>(_f.Reviewer(), m => m.HandleAsync(c1, "9.9.z", "?"));
        Assert.Equal("Số liệu “9.9.z” không có trong bộ chỉ số của đợt này.", unknown.Error);

        var seen = await Entry.AsAsync<DataQuality, Result<AssessmentQuality>>(_f.Officer("C1"), q => q.AssessmentAsync(c1));
        Assert.True(seen.Ok, seen.Error);
        Assert.Empty(seen.Value!.Flags); // the unit sees the mark, not the reviewers' checks
        var mark = Assert.Single(seen.Value.Marks);
        Assert.Equal(("1.3.a", "Số người dùng điện thoại thông minh tăng gấp ba, đề nghị giải trình.", "Lê Minh Tuấn", false),
            (mark.Address, mark.Note, mark.MarkedByName, mark.IsAnswered));

        var answered = await Entry.AsAsync<AnswerFollowUp, Result<FollowUpView>>(_f.Officer("C1"), a => a.HandleAsync(mark.Id, "Năm 2024 xã phát 2.000 điện thoại cho hộ nghèo."));
        Assert.True(answered.Ok, answered.Error);
        var empty = await Entry.AsAsync<AnswerFollowUp, Result<FollowUpView>>(_f.Officer("C1"), a => a.HandleAsync(mark.Id, "  "));
        Assert.Equal("Nội dung trả lời không được để trống.", empty.Error);

        var review = await Entry.AsAsync<DataQuality, Result<AssessmentQuality>>(_f.Reviewer(), q => q.AssessmentAsync(c1));
        Assert.Contains(review.Value!.Flags, f => f.FigureKey == "1.3.a");
        var back = Assert.Single(review.Value.Marks);
        Assert.Equal(("Năm 2024 xã phát 2.000 điện thoại cho hộ nghèo.", "Nguyễn Thị Hoa", true), (back.Answer, back.AnsweredByName, back.IsAnswered));
        var list = await ListAsync(_f.Reviewer(), new QualityFilter(MarkedOnly: true));
        Assert.All(list.Rows, r => Assert.Equal(mark.Id, r.Mark!.Id));
        Assert.Single(list.Rows, r => r.Check == QualityCheck.ChangeSincePrevious);

        await using var db = Entry.Db.OwnerContext();
        var entries = await db.AuditLog.Where(e => e.EntityType == nameof(FollowUpMark) && e.EntityId == mark.Id.ToString()).ToListAsync();
        Assert.Contains(entries, e => e.UserName == "thamtra.d" && e.UnitId == Entry.Units["C1"]);
        Assert.Contains(entries, e => e.UserName == "xa.c1" && e.After!.Contains("2.000 điện thoại"));
    }

    [Fact]
    public async Task The_export_reads_back_with_the_rows_and_numbers_in_the_exporters_scope()
    {
        var file = await Entry.AsAsync<ExportQuality, Result<Application.Spreadsheets.SpreadsheetFile>>(_f.Member(),
            e => e.HandleAsync(_round, new QualityFilter(Search: "e3")));
        Assert.True(file.Ok, file.Error);
        using var xlsx = new Spreadsheets.Xlsx(file.Value!.Content);
        Assert.Empty(xlsx.ValidationErrors());
        var sheet = ExportQuality.SheetName;
        Assert.Equal("KIỂM TRA CHẤT LƯỢNG SỐ LIỆU", xlsx.Cell(sheet, "A1").Text);
        for (var c = 0; c < ExportQuality.Header.Length; c++)
            Assert.Equal(ExportQuality.Header[c], xlsx.Cell(sheet, ((char)('A' + c)).ToString() + ExportQuality.HeaderRow).Text);
        var row = ExportQuality.HeaderRow + 1;
        Assert.Equal("Xã Xã E3", xlsx.Cell(sheet, "A" + row).Text);
        Assert.Equal("Huyện Xã D2", xlsx.Cell(sheet, "B" + row).Text);
        Assert.Equal("1.3", xlsx.Cell(sheet, "C" + row).Text);
        Assert.Equal("Cách xa các đơn vị cùng đợt", xlsx.Cell(sheet, "E" + row).Text);
        Assert.Equal((9000m, 1050m, 107.2455m), (xlsx.Cell(sheet, "F" + row).Number, xlsx.Cell(sheet, "H" + row).Number, xlsx.Cell(sheet, "I" + row).Number));
        Assert.StartsWith("Cách xa các đơn vị cùng đợt: 9.000 cao hơn nhiều so với trung vị 1.050 của 7 đơn vị", xlsx.Cell(sheet, "J" + row).Text);
        Assert.Null(xlsx.Cell(sheet, "A" + (row + 1)).Text); // the search kept E3's one row

        // The district reviewer's export has no row of another district.
        var district = await Entry.AsAsync<ExportQuality, Result<Application.Spreadsheets.SpreadsheetFile>>(_f.Reviewer(), e => e.HandleAsync(_round));
        using var dx = new Spreadsheets.Xlsx(district.Value!.Content);
        Assert.Equal("Xã Xã C1", dx.Cell(sheet, "A" + row).Text);
        Assert.DoesNotContain(Enumerable.Range(row, 10).Select(r => dx.Cell(sheet, "A" + r).Text), t => t == "Xã Xã E3");
    }

    [Fact]
    public async Task A_formula_typed_into_a_note_is_exported_as_text()
    {
        var marked = await Entry.AsAsync<MarkFollowUp, Result<FollowUpView>>(_f.Member(), m => m.HandleAsync(_now["E3"], "1.3.a", "=HYPERLINK(\"http://evil.example\",\"x\")"));
        Assert.True(marked.Ok, marked.Error);
        var file = await Entry.AsAsync<ExportQuality, Result<Application.Spreadsheets.SpreadsheetFile>>(_f.Member(), e => e.HandleAsync(_round, new QualityFilter(Search: "e3")));
        using var xlsx = new Spreadsheets.Xlsx(file.Value!.Content);
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"x\")", xlsx.Cell(ExportQuality.SheetName, "K" + (ExportQuality.HeaderRow + 1)).Text);
    }
}
