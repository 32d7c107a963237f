using DtiPortal.Application.Assessments;
using DtiPortal.Application.Demo;
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
        for (var i = 0; i < 2; i++)
        {
            await using var s = db.ScopeAs(FixedUnitScope.System);
            await s.ServiceProvider.GetRequiredService<DemoData>().SeedAsync();
        }

        await using var owner = db.OwnerContext();
        var rounds = await owner.AssessmentRounds.OrderBy(r => r.Year).ToListAsync();
        Assert.Equal([2024, 2025], rounds.Select(r => r.Year));
        Assert.True(rounds[0].HasDistrictTier);
        Assert.False(rounds[1].HasDistrictTier);
        Assert.All(rounds, r => Assert.Equal(RoundStatus.Open, r.Status));
        // Live rounds whatever the day the demo is seeded (issue 15): every deadline ahead of today, in order.
        var today = DtiPortal.Domain.VietnamTime.Today(db.Services.GetRequiredService<TimeProvider>());
        Assert.All(rounds, r => Assert.True(today < r.EntryDeadline && r.EntryDeadline < r.ReviewDeadline && r.ReviewDeadline < r.CouncilDeadline,
            $"{r.Name}: {r.EntryDeadline}, {r.ReviewDeadline}, {r.CouncilDeadline} (hôm nay {today})"));
        var units = await owner.Units.ToDictionaryAsync(u => u.Id, u => u.Code);
        var byRound = await owner.Assessments.GroupBy(a => a.RoundId).ToDictionaryAsync(g => g.Key, g => g.Select(a => a.UnitId).ToList());
        Assert.Equal(7, byRound[rounds[0].Id].Count); // the seven communes of Văn Lâm in 2024
        Assert.Equal(["33-LD2025", "33-NQ2025", "33-VL2025"], byRound[rounds[1].Id].Select(u => units[u]).Order());

        // Every stored demo value fits its set.
        var cache = db.Services.GetRequiredService<RoundSetCache>();
        foreach (var round in rounds)
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
