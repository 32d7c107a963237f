using DtiPortal.Application.Assessments;

namespace DtiPortal.Integration.Tests.Reporting;

/// <summary>
/// Issue 7: year-over-year comparison for units present in both years — the same unit's recognised result the year before,
/// or, for a unit formed by merging, the average of its predecessors' (DOMAIN.md §2); nothing where the previous year has none.
/// </summary>
public class YearOverYearTests(ReportingFixture fx) : IClassFixture<ReportingFixture>
{
    [Fact]
    public async Task Ranking_ComparesWithTheSameUnit_OrTheAverageOfAMergedUnitsPredecessors()
    {
        var (_, y2024) = await fx.NewRoundAsync(2024);
        await fx.SetStatusAsync(y2024["C1"], AssessmentStatus.Approved, recognisedTotal: 70);
        await fx.SetStatusAsync(y2024["M1"], AssessmentStatus.Published, recognisedTotal: 60);
        await fx.SetStatusAsync(y2024["M2"], AssessmentStatus.Approved, recognisedTotal: 80);
        await fx.SetStatusAsync(y2024["E1"], AssessmentStatus.Approved, recognisedTotal: 50);
        await fx.StoreAsync(y2024["C2"], ReportingFixture.Figures("C2", 0.9m)); // a live 2024 score is not a result

        var (round2025, y2025) = await fx.NewRoundAsync(2025);
        Assert.Contains("NEW", y2025.Keys);
        Assert.DoesNotContain("M1", y2025.Keys);
        await fx.SetStatusAsync(y2025["C1"], AssessmentStatus.Approved, recognisedTotal: 72);
        await fx.SetStatusAsync(y2025["NEW"], AssessmentStatus.Approved, recognisedTotal: 75);
        await fx.SetStatusAsync(y2025["C2"], AssessmentStatus.Approved, recognisedTotal: 40);
        await fx.StoreAsync(y2025["E1"], ReportingFixture.Figures("E1", 0.3m));

        var model = await fx.DashboardAsync(fx.ProvincialAdmin(), round2025);

        Assert.Equal(2024, model.PreviousYear);
        var c1 = model.Ranking.Single(r => r.AssessmentId == y2025["C1"]).PreviousYear!;
        Assert.Equal(70, c1.PreviousScore);
        Assert.Equal(2, c1.ScoreDelta);
        Assert.Equal(0, c1.PredecessorCount);

        var merged = model.Ranking.Single(r => r.AssessmentId == y2025["NEW"]).PreviousYear!;
        Assert.Equal(70, merged.PreviousScore); // (60 + 80) / 2
        Assert.Equal(5, merged.ScoreDelta);
        Assert.Equal(2, merged.PredecessorCount);
        Assert.Equal(["Xã M1", "Xã M2"], merged.ComparedWith.Order());

        Assert.Null(model.Ranking.Single(r => r.AssessmentId == y2025["C2"]).PreviousYear); // no recognised 2024 result
        Assert.Null(model.Ranking.Single(r => r.AssessmentId == y2025["C3"]).PreviousYear); // nothing either year

        var e1 = model.Ranking.Single(r => r.AssessmentId == y2025["E1"]);
        Assert.True(e1.IsLive);
        Assert.Equal(50, e1.PreviousYear!.PreviousScore);
        Assert.Equal(e1.Score - 50, e1.PreviousYear.ScoreDelta);

        // The district reviewer sees the merged unit's comparison only if it is theirs: NEW lies under P, not under D.
        var reviewer = await fx.DashboardAsync(fx.Reviewer("D"), round2025);
        Assert.DoesNotContain(reviewer.Ranking, r => r.AssessmentId == y2025["NEW"]);
        Assert.Equal(70, reviewer.Ranking.Single(r => r.AssessmentId == y2025["C1"]).PreviousYear!.PreviousScore);
    }
}
