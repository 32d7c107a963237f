using DtiPortal.Application.Assessments;
using DtiPortal.Application.Criteria;
using DtiPortal.Application.Reporting;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Reporting;

/// <summary>Issue 7: progress buckets by child unit, overdue counts against the round's deadlines, and the level distribution.</summary>
public class DashboardProgressTests(ReportingFixture fx) : IClassFixture<ReportingFixture>
{
    [Fact]
    public async Task Progress_CountsEachBucketByDistrict_AndOverdueByDeadline()
    {
        // Deadlines in December 2024: today (Vietnam) is after all of them.
        var (roundId, a) = await fx.NewRoundAsync();
        await fx.StoreAsync(a["C2"], ReportingFixture.Figures("C2", 0.5m));                  // draft with values: in progress
        await fx.SetStatusAsync(a["C3"], AssessmentStatus.Submitted);                       // with the district: review deadline
        await fx.SetStatusAsync(a["M1"], AssessmentStatus.Returned);                        // back with the unit: entry deadline
        await fx.SetStatusAsync(a["M2"], AssessmentStatus.Approved, recognisedTotal: 61);   // never overdue
        await fx.SetStatusAsync(a["E1"], AssessmentStatus.Forwarded);                       // with the council: council deadline
        await fx.SetStatusAsync(a["E2"], AssessmentStatus.Published, recognisedTotal: 77);  // C1 stays an untouched draft

        var model = await fx.DashboardAsync(fx.ProvincialAdmin(), roundId);

        Assert.Equal(fx.Units["P"], model.ParentUnitId);
        Assert.Equal(new ProgressCounts(NotStarted: 1, InProgress: 1, Submitted: 2, Returned: 1, Approved: 2), model.Progress);
        Assert.Equal(new OverdueCounts(Entry: 3, Review: 1, Council: 1), model.Overdue);

        Assert.Equal([fx.Units["D"], fx.Units["D2"]], model.Children.Select(c => c.UnitId).Order());
        var d = model.Children.Single(c => c.UnitId == fx.Units["D"]);
        Assert.Equal(new ProgressCounts(1, 1, 1, 1, 1), d.Progress);
        Assert.Equal(4, d.Overdue);
        var d2 = model.Children.Single(c => c.UnitId == fx.Units["D2"]);
        Assert.Equal(new ProgressCounts(0, 0, 1, 0, 1), d2.Progress);
        Assert.Equal(1, d2.Overdue);

        OverdueStage Of(string unit) => model.Ranking.Single(r => r.AssessmentId == a[unit]).Overdue;
        Assert.Equal(OverdueStage.Entry, Of("C1"));
        Assert.Equal(OverdueStage.Entry, Of("C2"));
        Assert.Equal(OverdueStage.Review, Of("C3"));
        Assert.Equal(OverdueStage.Entry, Of("M1"));
        Assert.Equal(OverdueStage.None, Of("M2"));
        Assert.Equal(OverdueStage.Council, Of("E1"));

        // Drilling down to D2: its communes are the children, each one unit with its assessment.
        var down = await fx.DashboardAsync(fx.ProvincialAdmin(), roundId, fx.Units["D2"]);
        Assert.Equal([fx.Units["P"], fx.Units["D2"]], down.Breadcrumb.Select(c => c.UnitId));
        Assert.Equal(2, down.Progress.Total);
        Assert.All(down.Children, c => Assert.False(c.CanDrillDown));
        Assert.Equal([a["E1"], a["E2"]], down.Children.Select(c => c.AssessmentId!.Value).Order());
        Assert.Equal([a["E1"], a["E2"]], down.Ranking.Select(r => r.AssessmentId).Order());
    }

    [Fact]
    public async Task Overdue_BeforeTheDeadlines_CountsNothing()
    {
        var (roundId, a) = await fx.NewRoundAsync(2024, entryDeadline: new DateOnly(2099, 12, 11));
        await fx.SetStatusAsync(a["C3"], AssessmentStatus.Submitted);
        await fx.SetStatusAsync(a["E1"], AssessmentStatus.UnderCouncilAppraisal);

        var model = await fx.DashboardAsync(fx.ProvincialAdmin(), roundId);

        Assert.Equal(0, model.Overdue.Total);
        Assert.All(model.Ranking, r => Assert.Equal(OverdueStage.None, r.Overdue));
        Assert.All(model.Children, c => Assert.Equal(0, c.Overdue));
        Assert.Equal(a.Count - 2, model.Progress.NotStarted);
    }

    [Fact]
    public async Task LevelDistribution_OfALevelSet_CountsRecognisedAndLiveLevels()
    {
        // A round on Decision 2361's commune framework (levels only, no points).
        await using (var s = fx.Entry.Db.ScopeAs(FixedUnitScope.System))
            await s.ServiceProvider.GetRequiredService<SyncBuiltInSets>().HandleAsync();
        int versionId;
        await using (var owner = fx.Entry.Db.OwnerContext())
            versionId = await owner.CriteriaSetVersions.Where(v => v.SetId == "mic-2361-commune").OrderByDescending(v => v.Version).Select(v => v.Id).FirstAsync();
        int roundId;
        await using (var s = fx.Entry.Db.ScopeAs(fx.ProvincialAdmin()))
        {
            var created = await s.ServiceProvider.GetRequiredService<RoundAdmin>().CreateAsync(
                fx.Entry.Request("Đợt mức độ 2024") with { CriteriaSetVersionId = versionId });
            Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Message)));
            roundId = created.RoundId!.Value;
        }
        Dictionary<string, int> a;
        await using (var owner = fx.Entry.Db.OwnerContext())
        {
            var byUnit = await owner.Assessments.Where(x => x.RoundId == roundId).ToDictionaryAsync(x => x.UnitId, x => x.Id);
            a = fx.Units.Where(u => byUnit.ContainsKey(u.Value)).ToDictionary(u => u.Key, u => byUnit[u.Value]);
        }
        var set = BuiltInLibraries.TryLoad("mic-2361-commune").Set!;
        var c1 = new UnitValues(ReportingFixture.Key(a["C1"]), new Dictionary<string, object?> { ["I.1"] = 65m, ["I.2"] = 35m });
        await fx.StoreAsync(a["C1"], c1);
        await fx.SetStatusAsync(a["M2"], AssessmentStatus.Approved, recognisedTotal: 0, recognisedLevel: 1);
        await fx.SetStatusAsync(a["E1"], AssessmentStatus.Approved, recognisedTotal: 0, recognisedLevel: 3);
        await fx.SetStatusAsync(a["E2"], AssessmentStatus.Published, recognisedTotal: 0, recognisedLevel: 3);
        var liveLevel = ScoringEngine.Score(set, [.. a.Values.Select(id => id == a["C1"] ? c1 : new UnitValues(ReportingFixture.Key(id), new Dictionary<string, object?>()))])
            .Unit(ReportingFixture.Key(a["C1"])).Level!.Value;

        var model = await fx.DashboardAsync(fx.Council(), roundId);

        Assert.False(model.HasPoints);
        Assert.True(model.HasLevels);
        Assert.Empty(model.ScoreDistribution);
        Assert.Equal(6, model.LevelDistribution.Count); // not level 1, levels 1…5
        var expected = new int[6];
        expected[1]++;
        expected[3] += 2;
        expected[liveLevel]++;
        Assert.Equal(expected, model.LevelDistribution.Select(l => l.Count));
        Assert.Equal("Mức 3 – Cơ bản", model.LevelDistribution[3].Label);
        // Ranked by level: the two level-3 units share rank 1.
        Assert.Equal(1, model.Ranking.Single(r => r.AssessmentId == a["E1"]).Rank);
        Assert.Equal(1, model.Ranking.Single(r => r.AssessmentId == a["E2"]).Rank);
        Assert.Equal(3, model.Ranking.Single(r => r.AssessmentId == a["M2"]).Rank);
        Assert.Null(model.Ranking.Single(r => r.AssessmentId == a["E1"]).Score);
    }
}
