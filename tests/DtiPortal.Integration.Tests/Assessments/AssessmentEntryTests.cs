using DtiPortal.Application.Assessments;
using DtiPortal.Application.Criteria;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Scoring;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Assessments;

public class AssessmentEntryTests(AssessmentFixture fx) : IClassFixture<AssessmentFixture>
{
    private Task<EntryModel> EntryAsync(IUnitScope scope, int id) =>
        fx.AsAsync<AssessmentQueries, EntryModel>(scope, q => q.GetEntryAsync(id));

    private async Task FillAsync(int assessmentId, IUnitScope? scope = null, string smartphones = "6.120", string digitalHouseholds = "1.200")
    {
        scope ??= fx.Officer();
        foreach (var (address, text) in new[]
        {
            ("general:1.4", "9.120"), ("general:1.6", "2.450"), ("1.1", "1"), ("1.2", "có"), ("1.3.a", smartphones),
            ("1.4.a", "10"), ("1.4.b", "12"), ("1.5.a", digitalHouseholds), ("1.6", "72,5"),
        })
        {
            var r = await fx.SaveAsync(scope, assessmentId, address, text);
            Assert.True(r.Saved, $"{address}: {r.Error}");
        }
    }

    [Fact]
    public async Task SaveValue_WhenSaved_IsReadBackWithItsVersionAndAuthor()
    {
        var (_, a) = await fx.NewRoundAsync();
        var saved = await fx.SaveAsync(fx.Officer(), a["C1"], "1.3.a", "6.120");
        Assert.True(saved.Saved, saved.Error);
        Assert.Equal(1, saved.Version);
        var again = await fx.SaveAsync(fx.Officer(), a["C1"], "1.3.a", "6.200", expectedVersion: 1);
        Assert.Equal(2, again.Version);

        var entry = await EntryAsync(fx.Officer(), a["C1"]);
        var value = entry.Values["1.3.a"];
        Assert.Equal(6200m, value.Value);
        Assert.Equal(2, value.Version);
        Assert.Equal("xa.c1", value.UpdatedBy);
        Assert.Equal("xa.c1", entry.LastEditedBy["1.3"]);
        Assert.False(entry.ReadOnly);
        Assert.True(entry.CanEditGeneral);
        Assert.Equal(6, entry.EditableCriteria.Count);

        var cleared = await fx.SaveAsync(fx.Officer(), a["C1"], "1.3.a", "", expectedVersion: 2);
        Assert.True(cleared.Saved);
        Assert.Null((await EntryAsync(fx.Officer(), a["C1"])).Values["1.3.a"].Value);
    }

    [Fact]
    public async Task SaveValue_RepeatingTheSameVietnameseText_IsNotAChange()
    {
        var (_, a) = await fx.NewRoundAsync();
        var first = await fx.SaveAsync(fx.Officer(), a["C1"], "general:1.20", "Nguyễn Thị Hường");
        Assert.Equal(1, first.Version);
        // jsonb returns the text unescaped; the repeated autosave must still be recognised as "nothing changed".
        var again = await fx.SaveAsync(fx.Officer(), a["C1"], "general:1.20", "Nguyễn Thị Hường", expectedVersion: 1);
        Assert.True(again.Saved);
        Assert.Equal(1, again.Version);
    }

    [Fact]
    public async Task SaveValue_WhenExpectedVersionIsStale_ReturnsConflictNamingWhoSavedIt()
    {
        var (_, a) = await fx.NewRoundAsync();
        Assert.True((await fx.SaveAsync(fx.Officer(), a["C1"], "1.4.b", "12")).Saved); // both read version 1
        Assert.True((await fx.SaveAsync(fx.Officer(userId: "officer-1b"), a["C1"], "1.4.b", "15", expectedVersion: 1)).Saved);

        var stale = await fx.SaveAsync(fx.Officer(), a["C1"], "1.4.b", "13", expectedVersion: 1);

        Assert.False(stale.Saved);
        Assert.True(stale.Conflict);
        Assert.StartsWith("Giá trị này vừa được Lê Văn Bình sửa lúc ", stale.Error);
        Assert.Contains(": 15", stale.Error);
        Assert.Equal(15m, stale.Current!.Value);
        Assert.Equal(2, stale.Current.Version);
        Assert.Equal(15m, (await EntryAsync(fx.Officer(), a["C1"])).Values["1.4.b"].Value); // not overwritten
    }

    [Theory]
    [InlineData("1.4.b", "mười hai", "không phải là số")]
    [InlineData("1.4.b", "-3", "không được là số âm")]
    [InlineData("1.4.b", "5.000.000.000.000", "lớn bất thường")]
    [InlineData("1.6", "120", "không được lớn hơn 100")]
    [InlineData("1.1", "4", "chọn một phương án từ 1 đến 3")]
    [InlineData("1.2", "có lẽ", "chọn Có hoặc Không")]
    [InlineData("general:1.21", "15/03/2023", "nằm ngoài năm đánh giá 2024")]
    [InlineData("1.3.a", "10.000", "“Số người dân có điện thoại thông minh” (10.000) không thể lớn hơn “Tổng dân số” (9.120)")]
    [InlineData("1.4.a", "13", "“Số cuộc họp có Chủ tịch chủ trì” (13) không thể lớn hơn “Tổng số cuộc họp” (12)")]
    [InlineData("general:1.4", "5.000", "“Số người dân có điện thoại thông minh” (6.120) không thể lớn hơn “Tổng dân số” (5.000)")]
    [InlineData("9.9", "1", "không có trong bộ chỉ số")]
    public async Task SaveValue_WhenInputIsBad_RefusesAtTheFieldAndStoresNothing(string address, string text, string expected)
    {
        var (_, a) = await fx.NewRoundAsync();
        await FillAsync(a["C1"]);
        var before = (await EntryAsync(fx.Officer(), a["C1"])).Values.GetValueOrDefault(address);

        var result = await fx.SaveAsync(fx.Officer(), a["C1"], address, text, before?.Version ?? 0);

        Assert.False(result.Saved);
        Assert.False(result.Conflict);
        Assert.Contains(expected, result.Error);
        var after = (await EntryAsync(fx.Officer(), a["C1"])).Values.GetValueOrDefault(address);
        Assert.Equal(before?.Version, after?.Version);
        Assert.Equal(before?.Value, after?.Value);
    }

    [Fact]
    public async Task SaveValue_EveryStoredValue_IsAcceptedByTheScoringEngine()
    {
        var (_, a) = await fx.NewRoundAsync();
        await FillAsync(a["C1"]);
        Assert.True((await fx.SaveAsync(fx.Officer(), a["C1"], "general:1.20", "Nguyễn Văn An")).Saved);
        Assert.True((await fx.SaveAsync(fx.Officer(), a["C1"], "general:1.21", "15/03/2024")).Saved);

        // Straight from the table, as any future reader would: every stored value fits the set.
        await using var owner = fx.Db.OwnerContext();
        var rows = await owner.AssessmentValues.Where(v => v.AssessmentId == a["C1"]).ToListAsync();
        var cache = fx.Db.Services.GetRequiredService<RoundSetCache>();
        var set = await cache.GetAsync(owner, fx.SetVersionId, default);
        var values = new Dictionary<string, object?>();
        var general = new Dictionary<string, object?>();
        foreach (var r in rows)
        {
            var v = ValueText.FromJson(r.ValueJson, set.Specs[r.Address]);
            if (r.Address.StartsWith("general:")) general[r.Address["general:".Length..]] = v;
            else values[r.Address] = v;
        }
        Assert.Equal(11, rows.Count);
        Assert.Empty(ScoringEngine.Validate(set.Set, [new UnitValues("C1", values, general)]));

        var result = await fx.AsAsync<ScoreAssessment, UnitResult>(fx.Officer(), s => s.HandleAsync(a["C1"]));
        Assert.Equal(20m, result.Node("1.1").Points);
        Assert.Equal(10m, result.Node("1.2").Points);
        Assert.Equal(20.13m, result.Node("1.3").Points); // 30 × 6120/9120
        Assert.Equal(7.25m, result.Node("1.6").Points);
    }

    [Fact]
    public async Task ScoreAssessment_WhenPeerRelative_ScoresOverTheWholeRoundCohort()
    {
        var (_, a) = await fx.NewRoundAsync();
        await FillAsync(a["C1"], digitalHouseholds: "1.225");                              // 50 % of 2450
        await FillAsync(a["C2"], fx.Officer("C2", "officer-2"), digitalHouseholds: "1.960"); // 80 %
        await FillAsync(a["C3"], FixedUnitScope.System, digitalHouseholds: "490");           // 20 %

        // C1's officer cannot see C2 or C3, yet C1 is placed between them: 10 × (0.5 − 0.2)/(0.8 − 0.2) = 5.
        var result = await fx.AsAsync<ScoreAssessment, UnitResult>(fx.Officer(), s => s.HandleAsync(a["C1"]));
        Assert.Equal(5m, result.Node("1.5").Points);
        Assert.Equal(a["C1"].ToString(), result.Unit);
        var c2 = await fx.AsAsync<ScoreAssessment, UnitResult>(fx.Officer("C2", "officer-2"), s => s.HandleAsync(a["C2"]));
        Assert.Equal(10m, c2.Node("1.5").Points);
    }

    [Fact]
    public async Task ScoreAssessment_WhenAPeerSavesAfterTheRoundWasScored_ScoresAgainstTheNewCohort()
    {
        // Issue 17: the round's cohort is scored once per instance and shared (RoundScoreCache); a peer's save must still move C1.
        var (_, a) = await fx.NewRoundAsync();
        await FillAsync(a["C1"], digitalHouseholds: "1.225");                              // 50 % of 2450
        await FillAsync(a["C2"], fx.Officer("C2", "officer-2"), digitalHouseholds: "1.960"); // 80 %
        await FillAsync(a["C3"], FixedUnitScope.System, digitalHouseholds: "490");           // 20 %
        var before = await fx.AsAsync<ScoreAssessment, UnitResult>(fx.Officer(), s => s.HandleAsync(a["C1"]));
        Assert.Equal(5m, before.Node("1.5").Points);

        var saved = await fx.SaveAsync(FixedUnitScope.System, a["C3"], "1.5.a", "980", expectedVersion: 1); // 40 %
        Assert.True(saved.Saved, saved.Error);
        var after = await fx.AsAsync<ScoreAssessment, UnitResult>(fx.Officer(), s => s.HandleAsync(a["C1"]));
        Assert.Equal(2.5m, after.Node("1.5").Points); // 10 × (0.5 − 0.4)/(0.8 − 0.4)
        var own = await fx.SaveAsync(fx.Officer(), a["C1"], "1.5.a", "1.960", expectedVersion: 1); // 80 %: C1 joins the top
        Assert.True(own.Saved, own.Error);
        Assert.Equal(10m, (await fx.AsAsync<ScoreAssessment, UnitResult>(fx.Officer(), s => s.HandleAsync(a["C1"]))).Node("1.5").Points);
    }

    [Fact]
    public async Task CheckCompleteness_WhenInputsAndEvidenceAreMissing_ListsErrorsAndWarnings()
    {
        var (_, a) = await fx.NewRoundAsync();
        await fx.SaveAsync(fx.Officer(), a["C1"], "1.1", "2");
        await fx.SaveAsync(fx.Officer(), a["C1"], "1.4.a", "12");
        await fx.SaveAsync(fx.Officer(), a["C1"], "1.4.b", "12");

        var issues = await fx.AsAsync<CheckCompleteness, IReadOnlyList<CompletenessIssue>>(fx.Officer(), c => c.HandleAsync(a["C1"]));

        Assert.Contains(issues, i => i.IsError && i.Code == "1.3" && i.Message == "Tiêu chí 1.3: chưa nhập “Tổng dân số” (thông tin chung mục 1.4).");
        Assert.Contains(issues, i => i.IsError && i.Code == "1.3" && i.Message.Contains("“Số người dân có điện thoại thông minh”"));
        Assert.Contains(issues, i => i.IsError && i.Code == "1.2" && i.Message.Contains("tài liệu kiểm chứng"));
        Assert.DoesNotContain(issues, i => i.Code is "1.1" or "1.4");
        Assert.Contains(issues, i => !i.IsError && i.Code == "general:1.20");
        Assert.True(issues.TakeWhile(i => i.IsError).Count() == issues.Count(i => i.IsError)); // errors first
    }

    [Fact]
    public async Task SubmitAssessment_WhenErrorsRemain_DoesNotSubmit()
    {
        var (_, a) = await fx.NewRoundAsync();
        await FillAsync(a["C1"]);
        var result = await fx.AsAsync<SubmitAssessment, SubmitResult>(fx.Officer(), s => s.HandleAsync(a["C1"], Guid.NewGuid()));
        Assert.False(result.Submitted);
        Assert.Contains(result.Issues, i => i.IsError && i.Code == "1.2"); // evidence required, no evidence module data
    }

    [Fact]
    public async Task SubmitAssessment_WhenCalledTwiceInParallel_SubmitsExactlyOnce_ThenEverythingIsReadOnly()
    {
        var (_, a) = await fx.NewRoundAsync();
        await FillAsync(a["C1"]);
        var key = Guid.NewGuid();
        using var evidence = EvidenceFor(a["C1"], "1.2"); // this set requires evidence for 1.2

        var results = await Task.WhenAll(
            SubmitWithEvidenceAsync(a["C1"], key), SubmitWithEvidenceAsync(a["C1"], key), SubmitWithEvidenceAsync(a["C1"], Guid.NewGuid()));

        Assert.Equal(1, results.Count(r => r.Submitted));
        Assert.Equal(2, results.Count(r => r.AlreadySubmitted));
        var retry = await SubmitWithEvidenceAsync(a["C1"], key); // a retry after a lost response
        Assert.False(retry.Submitted);
        Assert.True(retry.AlreadySubmitted);

        await using (var owner = fx.Db.OwnerContext())
        {
            var row = await owner.Assessments.SingleAsync(x => x.Id == a["C1"]);
            Assert.Equal(AssessmentStatus.Submitted, row.Status);
            Assert.NotNull(row.SubmittedAt);
        }
        var save = await fx.SaveAsync(fx.Officer(), a["C1"], "1.4.b", "20", expectedVersion: 1);
        Assert.Equal(AssessmentRules.ReadOnlyMessage, save.Error);
        var entry = await EntryAsync(fx.Officer(), a["C1"]);
        Assert.True(entry.ReadOnly);
        Assert.Empty(entry.EditableCriteria);
        Assert.False(entry.CanEditGeneral);
        var assign = await fx.AsAsync<AssignCriteria, CommandResult>(fx.Officer(), x => x.HandleAsync(a["C1"], "1.2", "Văn phòng - Thống kê"));
        Assert.False(assign.Succeeded);
    }

    [Fact]
    public async Task EntryModel_Can_AnswersFromTheWorkflowTableWhoMaySubmit()
    {
        var (_, a) = await fx.NewRoundAsync();

        var officer = await EntryAsync(fx.Officer(), a["C1"]);
        Assert.True(officer.Can.Submit);        // Draft → Submitted: the commune officer's row of the table
        Assert.True(officer.Can.EditGeneral);
        var department = await EntryAsync(fx.DepartmentOfficer(), a["C1"]);
        Assert.False(department.Can.Submit);    // no row of the table lets a department officer submit
        Assert.False(department.Can.EditGeneral);
        var admin = await EntryAsync(fx.ProvincialAdmin(), a["C1"]);
        Assert.False(admin.Can.Submit);         // reviewers and administrators only read
        Assert.True(admin.ReadOnly);

        await FillAsync(a["C1"]);
        using (EvidenceFor(a["C1"], "1.2"))
            Assert.True((await SubmitWithEvidenceAsync(a["C1"], Guid.NewGuid())).Submitted);
        var submitted = await EntryAsync(fx.Officer(), a["C1"]);
        Assert.False(submitted.Can.Submit);     // Submitted has no Submit row
        Assert.False(submitted.Can.EditGeneral);
    }

    private IDisposable EvidenceFor(int assessmentId, string criterion)
    {
        FakeEvidence.Items[assessmentId] = [new EvidenceItem(1, criterion, EvidenceKind.Link, null, null, null, "https://example.vn/qd", null, null, null, null,
            DateTimeOffset.UtcNow, "xa.c1", "https://example.vn/qd", [])];
        return new Cleanup(() => FakeEvidence.Items.Remove(assessmentId));
    }

    private async Task<SubmitResult> SubmitWithEvidenceAsync(int assessmentId, Guid key)
    {
        // The evidence module is another piece of work: the submit path reads it through IEvidenceLister, stood in for here.
        var services = TestDatabase.BuildServicesWith(fx.Db.ConnectionString, s => s.AddSingleton<IEvidenceLister, FakeEvidence>());
        await using var _ = services;
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TestUnitScope>().Current = fx.Officer();
        return await scope.ServiceProvider.GetRequiredService<SubmitAssessment>().HandleAsync(assessmentId, key);
    }

    private sealed class FakeEvidence : IEvidenceLister
    {
        public static readonly Dictionary<int, IReadOnlyList<EvidenceItem>> Items = [];
        public Task<IReadOnlyList<EvidenceItem>> ListAsync(int assessmentId, CancellationToken ct) =>
            Task.FromResult(Items.GetValueOrDefault(assessmentId) ?? []);
    }

    private sealed class Cleanup(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    [Fact]
    public async Task DepartmentOfficer_WhenEntering_SeesAndEditsOnlyCriteriaAssignedToTheirDepartment()
    {
        var (_, a) = await fx.NewRoundAsync();
        var entry = await EntryAsync(fx.DepartmentOfficer(), a["C1"]);
        Assert.Equal(["1.1"], entry.VisibleCriteria); // lead "Văn phòng - Thống kê"; their department is typed without accents
        Assert.Equal(["1.1"], entry.EditableCriteria);
        Assert.False(entry.CanEditGeneral);

        Assert.True((await fx.SaveAsync(fx.DepartmentOfficer(), a["C1"], "1.1", "1")).Saved);
        Assert.Contains("không được giao", (await fx.SaveAsync(fx.DepartmentOfficer(), a["C1"], "1.2", "có")).Error);
        Assert.Equal("Thông tin chung do cán bộ xã nhập.", (await fx.SaveAsync(fx.DepartmentOfficer(), a["C1"], "general:1.4", "9000")).Error);

        // The commune officer sees everything and reassigns 1.2 to the office.
        var all = await EntryAsync(fx.Officer(), a["C1"]);
        Assert.Equal(6, all.VisibleCriteria.Count);
        Assert.True((await fx.AsAsync<AssignCriteria, CommandResult>(fx.Officer(), x => x.HandleAsync(a["C1"], "1.2", AssessmentFixture.Office))).Succeeded);
        Assert.True((await fx.SaveAsync(fx.DepartmentOfficer(), a["C1"], "1.2", "có")).Saved);
        Assert.Equal(["1.1", "1.2"], (await EntryAsync(fx.DepartmentOfficer(), a["C1"])).VisibleCriteria.Order());
        var listed = await fx.AsAsync<AssessmentQueries, IReadOnlyList<AssessmentListItem>>(fx.DepartmentOfficer(), q => q.ListMineAsync());
        Assert.Contains(listed, l => l.Id == a["C1"]);
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            fx.AsAsync<AssignCriteria, CommandResult>(fx.DepartmentOfficer(), x => x.HandleAsync(a["C1"], "1.3", AssessmentFixture.Office)));
    }

    [Fact]
    public async Task OtherCommuneOfficer_WhenReadingOrWriting_IsDeniedAndSeesNothing()
    {
        var (_, a) = await fx.NewRoundAsync();
        var other = fx.Officer("C2", "officer-2");
        await Assert.ThrowsAsync<AccessDeniedException>(() => EntryAsync(other, a["C1"]));
        await Assert.ThrowsAsync<AccessDeniedException>(() => fx.SaveAsync(other, a["C1"], "1.2", "có"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => fx.AsAsync<ScoreAssessment, UnitResult>(other, s => s.HandleAsync(a["C1"])));
        await Assert.ThrowsAsync<AccessDeniedException>(() => fx.AsAsync<SubmitAssessment, SubmitResult>(other, s => s.HandleAsync(a["C1"], Guid.NewGuid())));

        var mine = await fx.AsAsync<AssessmentQueries, IReadOnlyList<AssessmentListItem>>(other, q => q.ListMineAsync());
        Assert.NotEmpty(mine);
        Assert.All(mine, m => Assert.Equal(fx.Units["C2"], m.UnitId));
        Assert.Empty(await fx.AsAsync<AssessmentQueries, IReadOnlyList<AssessmentListItem>>(
            new FixedUnitScope("x", "x", false, new HashSet<int> { fx.Units["Q1"] }, new HashSet<string> { "CommuneOfficer" }), q => q.ListMineAsync()));
    }

    [Fact]
    public async Task RegisterTargetLevel_WhenTheSetHasNoLevels_IsRefused()
    {
        var (_, a) = await fx.NewRoundAsync();
        var result = await fx.AsAsync<RegisterTargetLevel, CommandResult>(fx.Officer(), r => r.HandleAsync(a["C1"], 3));
        Assert.False(result.Succeeded);
        Assert.Contains("không xếp mức", result.Error);
    }

    [Fact]
    public async Task Autosave_WhenTheServerRestarts_ValuesAreReadBackThroughANewServiceProvider()
    {
        var (_, a) = await fx.NewRoundAsync();
        var first = TestDatabase.BuildServicesWith(fx.Db.ConnectionString, _ => { });
        await using (var scope = first.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TestUnitScope>().Current = fx.Officer();
            Assert.True((await scope.ServiceProvider.GetRequiredService<SaveValue>().HandleAsync(a["C1"], "1.3.a", "6.120", 0)).Saved);
        }
        await first.DisposeAsync();

        await using var second = TestDatabase.BuildServicesWith(fx.Db.ConnectionString, _ => { });
        await using var s2 = second.CreateAsyncScope();
        s2.ServiceProvider.GetRequiredService<TestUnitScope>().Current = fx.Officer();
        var entry = await s2.ServiceProvider.GetRequiredService<AssessmentQueries>().GetEntryAsync(a["C1"]);
        Assert.Equal(6120m, entry.Values["1.3.a"].Value);
    }
}
