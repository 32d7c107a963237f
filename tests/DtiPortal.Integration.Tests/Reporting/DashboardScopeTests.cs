using DtiPortal.Application.Assessments;
using DtiPortal.Application.Reporting;
using DtiPortal.Application.Tenancy;

namespace DtiPortal.Integration.Tests.Reporting;

/// <summary>
/// Issue 7: dashboards are scoped — a district reviewer's dashboard never includes another district's units (not in the
/// counts, the ranking, the radar's peers or the averages), and a user outside the round's province cannot open it.
/// </summary>
public class DashboardScopeTests(ReportingFixture fx) : IClassFixture<ReportingFixture>
{
    [Fact]
    public async Task DistrictReviewer_SeesOnlyTheirDistrictsCommunes()
    {
        var (roundId, a) = await fx.NewRoundAsync();
        foreach (var (unit, level) in new[] { ("C1", 0.8m), ("C2", 0.4m), ("E1", 1m), ("E2", 0.9m) })
            await fx.StoreAsync(a[unit], ReportingFixture.Figures(unit, level));
        await fx.SetStatusAsync(a["E2"], AssessmentStatus.Approved, recognisedTotal: 99);
        var theirs = new[] { "C1", "C2", "C3", "M1", "M2" }.Select(u => a[u]).ToHashSet();

        var model = await fx.DashboardAsync(fx.Reviewer("D"), roundId);

        Assert.Equal(fx.Units["D"], model.ParentUnitId);
        Assert.Equal(5, model.Progress.Total);
        Assert.Equal(2, model.Progress.InProgress); // C1, C2
        Assert.Equal(0, model.Progress.Approved);   // E2's approval is not theirs
        Assert.All(model.Ranking, r => Assert.Contains(r.AssessmentId, theirs));
        Assert.All(model.Units, u => Assert.Contains(u.AssessmentId, theirs));
        Assert.All(model.Children, c => Assert.Contains(c.AssessmentId!.Value, theirs));
        Assert.Equal(1, model.Ranking.Single(r => r.AssessmentId == a["C1"]).Rank); // E1 and E2 score higher, but are not in scope
        Assert.Equal(1, DashboardQueries.Radar(model, a["C1"], RadarPeers.Round)!.PeerCount); // only C2
        Assert.Equal([fx.Units["P"], fx.Units["D"]], model.Breadcrumb.Select(c => c.UnitId));
        Assert.False(model.Breadcrumb[0].CanOpen);
        Assert.Equal(2, model.WeakestIndices.Single().UnitCount);
    }

    [Fact]
    public async Task DistrictReviewer_AskingForAnotherDistrictOrTheProvince_IsRefused()
    {
        var (roundId, a) = await fx.NewRoundAsync();

        await Assert.ThrowsAsync<AccessDeniedException>(() => fx.DashboardAsync(fx.Reviewer("D"), roundId, fx.Units["D2"]));
        await Assert.ThrowsAsync<AccessDeniedException>(() => fx.DashboardAsync(fx.Reviewer("D"), roundId, fx.Units["P"]));
        await Assert.ThrowsAsync<AccessDeniedException>(() => fx.UnitAsync(fx.Reviewer("D"), a["E1"]));
    }

    [Fact]
    public async Task AnotherProvincesAdmin_CannotReadTheRound()
    {
        var (roundId, _) = await fx.NewRoundAsync();

        var rounds = await fx.Entry.AsAsync<DashboardQueries, IReadOnlyList<RoundSummary>>(fx.ProvincialAdmin("Q"), q => q.RoundsAsync());
        Assert.DoesNotContain(rounds, r => r.Id == roundId);
        await Assert.ThrowsAsync<AccessDeniedException>(() => fx.DashboardAsync(fx.ProvincialAdmin("Q"), roundId));
        Assert.Contains(await fx.Entry.AsAsync<DashboardQueries, IReadOnlyList<RoundSummary>>(fx.Reviewer("D"), q => q.RoundsAsync()), r => r.Id == roundId);
    }
}
