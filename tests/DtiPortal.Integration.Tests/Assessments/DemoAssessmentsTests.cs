using DtiPortal.Application.Assessments;
using DtiPortal.Application.Demo;
using DtiPortal.Application.PublicResults;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Scoring;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Assessments;

public class DemoAssessmentsTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task SeedAsync_WhenRunTwice_OpensTheDemoRoundsOnceWithPartlyFilledLacDao()
    {
        await using (var s = db.ScopeAs(FixedUnitScope.System))
            await s.ServiceProvider.GetRequiredService<DemoData>().SeedAsync();
        var firstRun = await CountsAsync();
        await using (var s = db.ScopeAs(FixedUnitScope.System))
            await s.ServiceProvider.GetRequiredService<DemoData>().SeedAsync();
        Assert.Equal(firstRun, await CountsAsync()); // the second run creates nothing: no round, step, result, audit entry or notice

        await using var owner = db.OwnerContext();
        var all = await owner.AssessmentRounds.OrderBy(r => r.Year).ToListAsync();
        Assert.Equal([DemoAssessments.PastYear, 2024, 2025], all.Select(r => r.Year));
        var rounds = all.Skip(1).ToList(); // the live ones
        Assert.True(rounds[0].HasDistrictTier);
        Assert.False(rounds[1].HasDistrictTier);
        Assert.All(rounds, r => Assert.Equal(RoundStatus.Open, r.Status));
        // Live rounds whatever the day the demo is seeded (issue 15): every deadline ahead of today, in order.
        var today = DtiPortal.Domain.VietnamTime.Today(db.Services.GetRequiredService<TimeProvider>());
        Assert.All(rounds, r => Assert.True(today < r.EntryDeadline && r.EntryDeadline < r.ReviewDeadline && r.ReviewDeadline < r.CouncilDeadline,
            $"{r.Name}: {r.EntryDeadline}, {r.ReviewDeadline}, {r.CouncilDeadline} (hôm nay {today})"));
        // The finished round: closed, published, every deadline behind today, in order.
        var past = all[0];
        Assert.Equal(DemoAssessments.PastRoundName, past.Name);
        Assert.Equal(RoundStatus.Closed, past.Status);
        Assert.NotNull(past.PublishedAt);
        Assert.True(past.HasDistrictTier);
        Assert.Equal(rounds[0].CriteriaSetVersionId, past.CriteriaSetVersionId);
        Assert.True(past.EntryDeadline < past.ReviewDeadline && past.ReviewDeadline < past.CouncilDeadline && past.CouncilDeadline < today,
            $"{past.Name}: {past.EntryDeadline}, {past.ReviewDeadline}, {past.CouncilDeadline} (hôm nay {today})");
        var units = await owner.Units.ToDictionaryAsync(u => u.Id, u => u.Code);
        var byRound = await owner.Assessments.GroupBy(a => a.RoundId).ToDictionaryAsync(g => g.Key, g => g.Select(a => a.UnitId).ToList());
        Assert.Equal(7, byRound[rounds[0].Id].Count); // the seven communes of Văn Lâm in 2024
        Assert.Equal(["33-LD2025", "33-NQ2025", "33-VL2025"], byRound[rounds[1].Id].Select(u => units[u]).Order());
        Assert.Equal(byRound[rounds[0].Id].Order(), byRound[past.Id].Order()); // the same communes a year earlier

        // Every stored demo value fits its set.
        var cache = db.Services.GetRequiredService<RoundSetCache>();
        foreach (var round in all)
        {
            var set = await cache.GetAsync(owner, round.CriteriaSetVersionId, default);
            var rows = await owner.AssessmentValues.Where(v => owner.Assessments.Any(a => a.Id == v.AssessmentId && a.RoundId == round.Id)).ToListAsync();
            Assert.NotEmpty(rows);
            var cohort = rows.GroupBy(r => r.AssessmentId).Select(g => new UnitValues(g.Key.ToString(),
                g.Where(r => !r.Address.StartsWith("general:")).ToDictionary(r => r.Address, r => ValueText.FromJson(r.ValueJson, set.Specs[r.Address])),
                g.Where(r => r.Address.StartsWith("general:")).ToDictionary(r => r.Address["general:".Length..], r => ValueText.FromJson(r.ValueJson, set.Specs[r.Address])))).ToList();
            Assert.Empty(ScoringEngine.Validate(set.Set, cohort));
        }

        // Lạc Đạo's 2024 assessment has work left, some of it for the office's demo department officer.
        var lacDao = units.Single(u => u.Value == DemoData.MarkerCode).Key;
        var assessment = await owner.Assessments.SingleAsync(a => a.RoundId == rounds[0].Id && a.UnitId == lacDao);
        var scope = new FixedUnitScope("demo", "xa.lacdao", false, new HashSet<int> { lacDao }, new HashSet<string> { "CommuneOfficer" }, null, lacDao);
        await using (var s = db.ScopeAs(scope))
        {
            var issues = await s.ServiceProvider.GetRequiredService<CheckCompleteness>().HandleAsync(assessment.Id);
            Assert.Contains(issues, i => i.IsError);
            Assert.Contains(issues.Select(i => i.Code), c => !c.StartsWith("general:"));
        }
        Assert.True(await owner.CriterionAssignments.AnyAsync(a => a.AssessmentId == assessment.Id && a.Department == DemoAssessments.DemoDepartment));
        var nhuQuynh = units.Single(u => u.Value == "33-VL-NQU").Key;
        Assert.Equal(AssessmentStatus.Submitted, (await owner.Assessments.SingleAsync(a => a.RoundId == rounds[0].Id && a.UnitId == nhuQuynh)).Status);
    }

    /// <summary>What a seeding run writes, to compare two runs.</summary>
    private async Task<(int Rounds, int Assessments, int Values, int Steps, int Results, int Snapshots, int Audit, int Notices)> CountsAsync()
    {
        await using var owner = db.OwnerContext();
        return (await owner.AssessmentRounds.CountAsync(), await owner.Assessments.CountAsync(), await owner.AssessmentValues.CountAsync(),
            await owner.WorkflowSteps.CountAsync(), await owner.RecognisedResults.CountAsync(), await owner.ScoreSnapshots.CountAsync(),
            await owner.AuditLog.CountAsync(a => a.Action != "SignIn"), await owner.Notifications.CountAsync());
    }

    [Fact]
    public async Task SeedAsync_FinishedRound_WentTheWholeWay_AndIsThePreviousRoundOfThe2024One()
    {
        await using (var s = db.ScopeAs(FixedUnitScope.System))
            await s.ServiceProvider.GetRequiredService<DemoData>().SeedAsync();

        await using var owner = db.OwnerContext();
        var past = await owner.AssessmentRounds.SingleAsync(r => r.Year == DemoAssessments.PastYear);
        var live = await owner.AssessmentRounds.SingleAsync(r => r.Year == 2024);
        var units = await owner.Units.ToDictionaryAsync(u => u.Code, u => u.Id);
        var assessments = await owner.Assessments.Where(a => a.RoundId == past.Id).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(7, assessments.Count);

        // Submitted, taken and forwarded by the district, taken and approved by the council, published: each step by its use case.
        string[] path = ["Submit", "StartDistrictReview", "ForwardToCouncil", "StartCouncilAppraisal", "Approve", "Publish"];
        var results = await owner.RecognisedResults.Where(r => owner.Assessments.Any(a => a.Id == r.AssessmentId && a.RoundId == past.Id)).ToListAsync();
        var snapshots = await owner.ScoreSnapshots.Where(x => x.RoundId == past.Id).Select(x => x.Id).ToListAsync();
        foreach (var a in assessments)
        {
            Assert.Equal(AssessmentStatus.Published, a.Status);
            Assert.Equal(1, a.ReviewCycle);
            Assert.NotNull(a.SubmittedAt);
            Assert.NotNull(a.ApprovedAt);
            Assert.NotNull(a.PublishedAt);
            var steps = await owner.WorkflowSteps.Where(w => w.AssessmentId == a.Id).OrderBy(w => w.Id).Select(w => new { w.Action, w.ActorName }).ToListAsync();
            Assert.Equal(path, steps.Select(w => w.Action));
            Assert.All(steps, w => Assert.Equal("Hệ thống", w.ActorName)); // the seeding process, named in Vietnamese
            var result = Assert.Single(results, r => r.AssessmentId == a.Id);
            Assert.Equal(1, result.Version);
            Assert.Equal("Hệ thống", result.ApprovedByName);
            Assert.Equal(a.RecognisedTotal, result.Total);
            Assert.True(result.Total > 0, $"bản đánh giá {a.Id}: {result.Total}");
            Assert.Contains(result.SnapshotId, snapshots);
            // The audit trail has every step (the readable workflow entries written in each step's transaction).
            var audited = await owner.AuditLog.CountAsync(x => x.Action == "Workflow" && x.EntityType == "Assessment" && x.EntityId == a.Id.ToString());
            Assert.True(audited >= path.Length - 1, $"bản đánh giá {a.Id}: {audited} mục nhật ký");
        }
        // One decision number each, 1…7 in the round, in the configured format.
        var numbering = db.Services.GetRequiredService<DtiPortal.Application.Reviews.DocumentNumbering>();
        Assert.Equal(Enumerable.Range(1, 7).Select(n => numbering.Decision(n, DemoAssessments.PastYear)), results.Select(r => r.DocumentNumber).Order());
        Assert.Equal(7, past.LastDocumentNumber);
        Assert.True(await owner.AuditLog.AnyAsync(x => x.Action == "RoundClosed" && x.EntityId == past.Id.ToString()));
        // The workflow's notices about a round that ended a year ago are not left in the demo accounts' inboxes.
        var ids = assessments.Select(a => (int?)a.Id).ToList();
        Assert.False(await owner.Notifications.AnyAsync(n => ids.Contains(n.AssessmentId)));

        // A year earlier the communes were less far along: Như Quỳnh's 2023 figures are below its 2024 ones (general information aside).
        var nhuQuynh = units["33-VL-NQU"];
        async Task<Dictionary<string, decimal>> NumbersAsync(int roundId)
        {
            var rows = await owner.AssessmentValues.Where(v => v.UnitId == nhuQuynh && owner.Assessments.Any(a => a.Id == v.AssessmentId && a.RoundId == roundId))
                .Select(v => new { v.Address, v.ValueJson }).ToListAsync();
            return rows.Where(r => !r.Address.StartsWith("general:") && decimal.TryParse(r.ValueJson, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
                .ToDictionary(r => r.Address, r => decimal.Parse(r.ValueJson!, System.Globalization.CultureInfo.InvariantCulture));
        }
        var before = await NumbersAsync(past.Id);
        var after = await NumbersAsync(live.Id);
        Assert.NotEmpty(before);
        Assert.True(before.Count(b => after.TryGetValue(b.Key, out var x) && b.Value < x) > before.Count / 2, "2023 figures mostly below 2024's");

        // Public: the landing page lists the round, its ranking has the seven communes, each with its decision.
        await using (var visitorScope = db.ScopeAs(FixedUnitScope.Nobody))
        {
            var visitor = visitorScope.ServiceProvider.GetRequiredService<PublicResultsQueries>();
            Assert.Contains((await visitor.LandingAsync()).Rounds, r => r.Id == past.Id && r.Year == DemoAssessments.PastYear);
            var ranking = (await visitor.RoundAsync(past.Id))!.Ranking;
            Assert.Equal(7, ranking.Rows.Count);
            var unit = (await visitor.UnitAsync(past.Id, assessments[0].Id))!;
            Assert.Equal(results.Single(r => r.AssessmentId == assessments[0].Id).DocumentNumber, unit.DocumentNumber);
        }

        // "Đánh giá của tôi" of Lạc Đạo's officer: this year's first, then 2023's, published, with its recognised result, read-only.
        var lacDao = units[DemoData.MarkerCode];
        var officer = new FixedUnitScope("demo", "xa.lacdao", false, new HashSet<int> { lacDao }, new HashSet<string> { "CommuneOfficer" }, null, lacDao);
        await using (var s = db.ScopeAs(officer))
        {
            var queries = s.ServiceProvider.GetRequiredService<AssessmentQueries>();
            var mine = await queries.ListMineAsync();
            Assert.Equal([2024, DemoAssessments.PastYear], mine.Select(m => m.Year));
            var old = mine[1];
            Assert.Equal(AssessmentStatus.Published, old.Status);
            Assert.True(old.Recognised);
            Assert.Equal(assessments.Single(a => a.UnitId == lacDao).RecognisedTotal, old.Total);
            var entry = await queries.GetEntryAsync(old.Id);
            Assert.True(entry.ReadOnly);
            Assert.Empty(entry.EditableCriteria);
            Assert.False(entry.Can.Submit);
        }

        // The 2024 round compares with it: the dashboard's previous year, the data-quality check's previous round.
        await using (var s = db.ScopeAs(FixedUnitScope.System))
        {
            var dashboard = await s.ServiceProvider.GetRequiredService<DtiPortal.Application.Reporting.DashboardQueries>().GetAsync(live.Id);
            Assert.Equal(DemoAssessments.PastYear, dashboard.PreviousYear);
            var row = dashboard.Ranking.Single(r => r.UnitId == nhuQuynh);
            Assert.NotNull(row.PreviousYear);
            Assert.Equal(assessments.Single(a => a.UnitId == nhuQuynh).RecognisedTotal, row.PreviousYear!.PreviousScore);

            var quality = s.ServiceProvider.GetRequiredService<DtiPortal.Application.Quality.DataQuality>();
            // Figures moved by about 1/0,85 − 1 ≈ 18 %: under the default threshold (50 %), flagged at 10 %.
            var report = await quality.RoundAsync(live.Id, new DtiPortal.Application.Quality.QualityFilter(ChangeShare: 0.1m));
            Assert.True(report.Ok, report.Error);
            var changed = report.Value!.Rows.Where(r => r.Check == DtiPortal.Domain.Quality.QualityCheck.ChangeSincePrevious).ToList();
            Assert.NotEmpty(changed);
            Assert.All(changed, r => Assert.Equal(nhuQuynh, r.UnitId)); // the only 2024 submission so far
            Assert.All(changed, r => Assert.Contains(DemoAssessments.PastRoundName, r.Explanation));
            var byDefault = await quality.RoundAsync(live.Id);
            Assert.DoesNotContain(byDefault.Value!.Rows, r => r.Check == DtiPortal.Domain.Quality.QualityCheck.ChangeSincePrevious);
        }
    }

    [Fact]
    public async Task SeedAsync_DemoFiguresKeepToTheSetsValidationRules()
    {
        await using var s = db.ScopeAs(FixedUnitScope.System);
        await s.ServiceProvider.GetRequiredService<DemoData>().SeedAsync();

        await using var owner = db.OwnerContext();
        var ids = await owner.Assessments.Select(a => a.Id).ToListAsync();
        Assert.NotEmpty(ids);
        var checks = s.ServiceProvider.GetRequiredService<AssessmentRuleChecks>();
        foreach (var id in ids)
        {
            var broken = await checks.HandleAsync(id);
            Assert.True(broken.Count == 0, $"Bản đánh giá {id}: " + string.Join("; ", broken.Select(b => b.Describe())));
        }
    }
}
