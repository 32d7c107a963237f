using DtiPortal.Application;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Criteria;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Assessments;

/// <summary>
/// Validation rules of a set (spec §10) through the use cases on a real PostgreSQL: an error rule refuses the figure at
/// the field and stores nothing; a warning is saved and reported, blocks submission until explained, and the
/// explanation is stored (under row-level security) and read back beside the rule.
/// </summary>
public class ValidationRuleEntryTests(AssessmentFixture fx) : IClassFixture<AssessmentFixture>
{
    private const string RulesYaml = """
        format: dti-criteria/1
        id: test-commune-rules
        version: 1
        name: Bộ chỉ số thử nghiệm quy tắc kiểm tra
        level: commune
        year: 2024
        decision: { number: 2/QĐ-TEST, date: 2024-01-01, issuer: UBND tỉnh thử nghiệm }
        maxPoints: 100
        general:
          - { code: "1.4", key: population, label: Số lượng dân số của xã, unit: người, type: integer }
        tree:
          - code: "1"
            name: Nhóm thử
            max: 100
            children:
              - code: "3.1"
                name: Tỷ lệ dân số có điện thoại thông minh
                max: 40
                method: ratio
                ratio: a/b
                inputs:
                  - { key: a, label: Số người dân có điện thoại thông minh, unit: người }
                  - { key: b, label: Tổng dân số, unit: người }
              - code: "6.2"
                name: Tỷ lệ DVCTT phát sinh hồ sơ trực tuyến
                max: 60
                method: ratio
                ratio: (c+d)/(a+b)
                inputs:
                  - { key: a, label: Tổng số DVCTT một phần, unit: dịch vụ }
                  - { key: b, label: Tổng số DVCTT toàn trình, unit: dịch vụ }
                  - { key: c, label: DVCTT một phần có hồ sơ trực tuyến, unit: dịch vụ }
                  - { key: d, label: DVCTT toàn trình có hồ sơ trực tuyến, unit: dịch vụ }
        validation_rules:
          - { code: DS-3.1, rule: "3.1.a <= general.population", severity: error, message: Số người có điện thoại thông minh không thể lớn hơn dân số. }
          - { code: DVC-6.2, rule: "6.2.c + 6.2.d <= 6.2.a + 6.2.b", severity: warning, message: Số DVCTT có hồ sơ trực tuyến lớn hơn tổng số DVCTT. }
        """;

    private static readonly SemaphoreSlim _load = new(1, 1);
    private static int? _versionId;

    private async Task<int> NewAssessmentAsync()
    {
        await _load.WaitAsync();
        try
        {
            if (_versionId is null)
            {
                await using (var s = fx.Db.ScopeAs(FixedUnitScope.System))
                {
                    var outcome = await s.ServiceProvider.GetRequiredService<LoadCriteriaSet>().HandleAsync(RulesYaml, "test");
                    Assert.True(outcome.Succeeded, outcome.Message + string.Join("; ", outcome.Errors.Select(e => e.ToString())));
                }
                await using var owner = fx.Db.OwnerContext();
                _versionId = await owner.CriteriaSetVersions.Where(v => v.SetId == "test-commune-rules").Select(v => v.Id).SingleAsync();
            }
        }
        finally
        {
            _load.Release();
        }
        var request = fx.Request("Đợt thử quy tắc") with { CriteriaSetVersionId = _versionId.Value };
        var created = await fx.AsAsync<RoundAdmin, CreateRoundResult>(fx.ProvincialAdmin(), r => r.CreateAsync(request));
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Message)));
        await using var db = fx.Db.OwnerContext();
        return await db.Assessments.Where(a => a.RoundId == created.RoundId && a.UnitId == fx.Units["C1"]).Select(a => a.Id).SingleAsync();
    }

    private async Task SaveAllAsync(int id, params (string Address, string Text)[] values)
    {
        foreach (var (address, text) in values)
        {
            var r = await fx.SaveAsync(fx.Officer(), id, address, text);
            Assert.True(r.Saved, $"{address}: {r.Error}");
        }
    }

    [Fact]
    public async Task SaveValue_WhenAnErrorRuleIsBroken_RefusesNamingTheFieldAndStoresNothing()
    {
        var id = await NewAssessmentAsync();
        await SaveAllAsync(id, ("general:1.4", "9.120"));

        var refused = await fx.SaveAsync(fx.Officer(), id, "3.1.a", "9.500");

        Assert.False(refused.Saved);
        Assert.Equal("Ô “Số người dân có điện thoại thông minh” (3.1.a): Số người có điện thoại thông minh không thể lớn hơn dân số. "
            + "(quy tắc DS-3.1: 3.1.a <= general.population; 9.500 > 9.120)", refused.Error);
        await using (var db = fx.Db.OwnerContext())
            Assert.False(await db.AssessmentValues.AnyAsync(v => v.AssessmentId == id && v.Address == "3.1.a"));

        // The other side of the rule: lowering the population below a stored figure is refused at the general item.
        await SaveAllAsync(id, ("3.1.a", "6.120"));
        var lower = await fx.SaveAsync(fx.Officer(), id, "general:1.4", "6.000", expectedVersion: 1);
        Assert.False(lower.Saved);
        Assert.StartsWith("Ô “Số lượng dân số của xã” (thông tin chung mục 1.4): Số người có điện thoại thông minh", lower.Error, StringComparison.Ordinal);
        // Missing figures leave a rule unevaluated: a figure with no population yet is accepted.
        var other = await NewAssessmentAsync();
        Assert.True((await fx.SaveAsync(fx.Officer(), other, "3.1.a", "99.999")).Saved);
    }

    [Fact]
    public async Task SpreadsheetImport_WhenAnErrorRuleIsBroken_IsRefusedWholeNamingTheRowAndField()
    {
        var id = await NewAssessmentAsync();
        await SaveAllAsync(id, ("general:1.4", "9.120"));
        var template = await fx.AsAsync<DtiPortal.Application.Spreadsheets.EntryTemplate, DtiPortal.Application.Spreadsheets.SpreadsheetFile>(
            fx.Officer(), t => t.BuildAsync(id));
        using var x = new Spreadsheets.Xlsx(template.Content, editable: true);
        var sheet = DtiPortal.Application.Spreadsheets.EntryTemplate.SheetName;
        var row = x.RowOf(sheet, "3.1.a");
        x.Set(sheet, $"E{row}", 9500m);
        x.Set(sheet, $"E{x.RowOf(sheet, "3.1.b")}", 9600m); // a figure the rule does not read: nothing of the file is stored
        var file = x.Save();

        var result = await fx.AsAsync<DtiPortal.Application.Spreadsheets.ImportEntryTemplate, DtiPortal.Application.Spreadsheets.ImportEntryResult>(
            fx.Officer(), i => i.HandleAsync(id, new MemoryStream(file), "mau-nhap.xlsx"));

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(row, error.Row);
        Assert.Equal("Ô “Số người dân có điện thoại thông minh” (3.1.a): Số người có điện thoại thông minh không thể lớn hơn dân số. "
            + "(quy tắc DS-3.1: 3.1.a <= general.population; 9.500 > 9.120)", error.Message);
        await using var db = fx.Db.OwnerContext();
        Assert.False(await db.AssessmentValues.AnyAsync(v => v.AssessmentId == id && (v.Address == "3.1.a" || v.Address == "3.1.b")));
    }

    [Fact]
    public async Task Warning_IsSavedAndShown_BlocksSubmissionUntilExplained_AndTheExplanationIsReadBack()
    {
        var id = await NewAssessmentAsync();
        await SaveAllAsync(id, ("general:1.4", "9.120"), ("3.1.a", "6.120"), ("3.1.b", "9.120"), ("6.2.a", "10"), ("6.2.b", "5"), ("6.2.c", "9"));

        var saved = await fx.SaveAsync(fx.Officer(), id, "6.2.d", "7");

        Assert.True(saved.Saved, saved.Error);
        var warning = Assert.Single(saved.Warnings);
        Assert.Contains("DVC-6.2", warning, StringComparison.Ordinal);
        Assert.Contains("16 > 15", warning, StringComparison.Ordinal);
        var checks = await fx.AsAsync<AssessmentRuleChecks, IReadOnlyList<RuleCheck>>(fx.Officer(), q => q.HandleAsync(id));
        var check = Assert.Single(checks);
        Assert.Equal(("DVC-6.2", RuleSeverity.Warning, true), (check.Code, check.Severity, check.NeedsExplanation));
        Assert.Equal(["6.2.c", "6.2.d", "6.2.a", "6.2.b"], check.Addresses);
        Assert.Equal(["6.2"], check.Criteria);

        var refused = await fx.AsAsync<SubmitAssessment, SubmitResult>(fx.Officer(), s => s.HandleAsync(id, Guid.NewGuid()));
        Assert.False(refused.Submitted);
        var issue = Assert.Single(refused.Issues, i => i.IsError);
        Assert.Equal("Cảnh báo DVC-6.2 chưa được giải trình: Số DVCTT có hồ sơ trực tuyến lớn hơn tổng số DVCTT. "
            + "(quy tắc DVC-6.2: 6.2.c + 6.2.d <= 6.2.a + 6.2.b; 16 > 15)", issue.Message);

        var empty = await fx.AsAsync<ExplainRuleWarning, Result>(fx.Officer(), e => e.HandleAsync(id, "DVC-6.2", "   "));
        Assert.Equal("Cảnh báo DVC-6.2: nội dung giải trình không được để trống.", empty.Error);
        var notWarning = await fx.AsAsync<ExplainRuleWarning, Result>(fx.Officer(), e => e.HandleAsync(id, "DS-3.1", "x"));
        Assert.False(notWarning.Ok);
        var explained = await fx.AsAsync<ExplainRuleWarning, Result>(fx.Officer(),
            e => e.HandleAsync(id, "DVC-6.2", "Một dịch vụ toàn trình được tính ở cả hai nhóm theo hướng dẫn của huyện."));
        Assert.True(explained.Ok, explained.Error);

        check = Assert.Single(await fx.AsAsync<AssessmentRuleChecks, IReadOnlyList<RuleCheck>>(fx.Officer(), q => q.HandleAsync(id)));
        Assert.False(check.NeedsExplanation);
        Assert.Equal("Một dịch vụ toàn trình được tính ở cả hai nhóm theo hướng dẫn của huyện.", check.Explanation);
        Assert.Equal("16 > 15", check.ExplainedDetail);
        var submitted = await fx.AsAsync<SubmitAssessment, SubmitResult>(fx.Officer(), s => s.HandleAsync(id, Guid.NewGuid()));
        Assert.True(submitted.Submitted, string.Join("; ", submitted.Issues.Select(i => i.Message)));
        Assert.Contains(submitted.Issues, i => !i.IsError && i.Message.StartsWith("Cảnh báo DVC-6.2 đã giải trình", StringComparison.Ordinal));

        // After submission the explanation is read-only.
        var late = await fx.AsAsync<ExplainRuleWarning, Result>(fx.Officer(), e => e.HandleAsync(id, "DVC-6.2", "sửa"));
        Assert.False(late.Ok);
    }

    [Fact]
    public async Task AfterSave_AnswersWhatTheSeparateQuestionsAnswer_InOneCall()
    {
        // Issue 17: the entry page asks once after a save; the answer must be what the score and the rule checks say apart.
        var id = await NewAssessmentAsync();
        await SaveAllAsync(id, ("general:1.4", "9.120"), ("3.1.a", "6.120"), ("3.1.b", "9.120"), ("6.2.a", "10"), ("6.2.b", "5"), ("6.2.c", "9"), ("6.2.d", "7"));

        var (live, shown, checks) = await fx.AsAsync<ScoreAssessment, (DtiPortal.Domain.Scoring.UnitResult, ShownScore, IReadOnlyList<RuleCheck>)>(
            fx.Officer(), q => q.AfterSaveAsync(id));
        var (liveApart, shownApart) = await fx.AsAsync<ScoreAssessment, (DtiPortal.Domain.Scoring.UnitResult, ShownScore)>(fx.Officer(), q => q.ShownAsync(id));
        var checksApart = await fx.AsAsync<AssessmentRuleChecks, IReadOnlyList<RuleCheck>>(fx.Officer(), q => q.HandleAsync(id));

        Assert.Equal(liveApart.Total, live.Total);
        Assert.True(live.Total > 0);
        Assert.Equal(shownApart, shown);
        Assert.Equal(checksApart.Select(c => (c.Code, c.NeedsExplanation, c.Detail)), checks.Select(c => (c.Code, c.NeedsExplanation, c.Detail)));
        Assert.Equal("DVC-6.2", Assert.Single(checks).Code);
        // Another commune's officer gets nothing of it.
        await Assert.ThrowsAnyAsync<Exception>(() =>
            fx.AsAsync<ScoreAssessment, (DtiPortal.Domain.Scoring.UnitResult, ShownScore, IReadOnlyList<RuleCheck>)>(fx.Officer("C2", "officer-2"), q => q.AfterSaveAsync(id)));
    }

    [Fact]
    public async Task Explanation_IsUnitOwned_AnotherCommuneNeitherReadsNorWritesIt()
    {
        var id = await NewAssessmentAsync();
        await SaveAllAsync(id, ("6.2.a", "1"), ("6.2.b", "1"), ("6.2.c", "2"), ("6.2.d", "2"));
        var ok = await fx.AsAsync<ExplainRuleWarning, Result>(fx.Officer(), e => e.HandleAsync(id, "DVC-6.2", "Số liệu theo báo cáo quý"));
        Assert.True(ok.Ok, ok.Error);

        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            fx.AsAsync<AssessmentRuleChecks, IReadOnlyList<RuleCheck>>(fx.Officer("C2", "officer-2"), q => q.HandleAsync(id)));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            fx.AsAsync<ExplainRuleWarning, Result>(fx.Officer("C2", "officer-2"), e => e.HandleAsync(id, "DVC-6.2", "ghi đè")));
        // Under row-level security as the application role, C2's scope sees no explanation row at all.
        await using var s = fx.Db.ScopeAs(fx.Officer("C2", "officer-2"));
        var db = s.ServiceProvider.GetRequiredService<Application.Data.DtiDbContext>();
        Assert.Equal(0, await db.RuleExplanations.IgnoreQueryFilters().CountAsync(x => x.AssessmentId == id));
        await using var owner = fx.Db.OwnerContext();
        Assert.Equal("Số liệu theo báo cáo quý", (await owner.RuleExplanations.SingleAsync(x => x.AssessmentId == id)).Text);
    }
}
