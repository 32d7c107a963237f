using DtiPortal.Application.Assessments;
using DtiPortal.Application.Reporting;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Integration.Tests.Reporting;

/// <summary>
/// Issue 7: "dashboard numbers match the engine's scores for the same units" — scores, main-index shares, the histogram and
/// the radar against <see cref="ScoringEngine"/> run directly on the same values (peer-relative criterion 1.5 included, so
/// the whole round is the cohort); recognised results for approved units; ties in the ranking; one unit's drill-down.
/// </summary>
public class DashboardNumbersTests(ReportingFixture fx) : IClassFixture<ReportingFixture>
{
    [Fact]
    public async Task Dashboard_WhenUnitsHaveFigures_MatchesTheScoringEngine()
    {
        var (roundId, a) = await fx.NewRoundAsync();
        var figures = new Dictionary<int, UnitValues>
        {
            [a["C1"]] = ReportingFixture.Figures("C1", 0.9m),
            [a["C2"]] = ReportingFixture.Figures("C2", 0.55m),
            [a["M1"]] = ReportingFixture.Figures("M1", 0.25m),
            [a["E1"]] = ReportingFixture.Figures("E1", 0.7m),
        };
        foreach (var (id, v) in figures) await fx.StoreAsync(id, v);
        var expected = fx.Expected(a.Values, figures);

        var model = await fx.DashboardAsync(fx.ProvincialAdmin(), roundId);

        Assert.True(model.HasPoints);
        Assert.Equal(100, model.MaxScore);
        Assert.Equal(a.Count, model.Ranking.Count);
        foreach (var (id, _) in figures)
        {
            var row = model.Ranking.Single(r => r.AssessmentId == id);
            Assert.Equal(expected.Unit(ReportingFixture.Key(id)).Total, row.Score);
            Assert.True(row.IsLive);
            Assert.NotNull(row.Rank);
        }
        Assert.All(model.Ranking.Where(r => !figures.ContainsKey(r.AssessmentId)), r => Assert.Null(r.Rank));
        // Ranks follow the engine's order.
        var order = figures.Keys.OrderByDescending(id => expected.Unit(ReportingFixture.Key(id)).Total).ToList();
        Assert.Equal(order, model.Ranking.Where(r => r.Rank is not null).Select(r => r.AssessmentId).ToList());

        // The one main index "1" (max 100): its average share is the engine's points ÷ 100, averaged.
        var index = Assert.Single(model.WeakestIndices);
        Assert.Equal("1", index.Code);
        Near(figures.Keys.Average(id => expected.Unit(ReportingFixture.Key(id)).Node("1").Points / 100m), index.AverageShare);
        Near(figures.Keys.Average(id => expected.Unit(ReportingFixture.Key(id)).Node("1").Points), index.AveragePoints);
        Assert.Equal(4, index.UnitCount);

        // The histogram (10-point bins up to 100) counts the engine's totals.
        Assert.Equal(10, model.ScoreDistribution.Count);
        foreach (var bin in model.ScoreDistribution)
        {
            var inBin = figures.Keys.Select(id => expected.Unit(ReportingFixture.Key(id)).Total)
                .Count(t => t >= bin.From && (t < bin.To || (bin.To == 100 && t <= 100)));
            Assert.Equal(inBin, bin.Count);
        }
        Assert.Equal(4, model.ScoreDistribution.Sum(b => b.Count));
        Assert.Empty(model.LevelDistribution); // a points set without levels

        // Per child (D: C1, C2, C3, M1, M2; D2: E1, E2): the average of the engine's totals of the scored ones.
        var d = model.Children.Single(c => c.UnitId == fx.Units["D"]);
        Assert.Equal(5, d.UnitCount);
        Assert.Equal(3, d.ScoredCount);
        Near(new[] { a["C1"], a["C2"], a["M1"] }.Average(id => expected.Unit(ReportingFixture.Key(id)).Total), d.AverageScore);
        Assert.True(d.CanDrillDown);

        // The radar: C1's share against the other scored units of the round, and against its district's.
        var radar = DashboardQueries.Radar(model, a["C1"], RadarPeers.Round)!;
        var axis = Assert.Single(radar.Axes);
        Assert.Equal(expected.Unit(ReportingFixture.Key(a["C1"])).Node("1").Points / 100m, axis.UnitShare);
        Assert.Equal(3, radar.PeerCount);
        Near(new[] { a["C2"], a["M1"], a["E1"] }.Average(id => expected.Unit(ReportingFixture.Key(id)).Node("1").Points / 100m), axis.PeerAverage);
        var district = DashboardQueries.Radar(model, a["C1"], RadarPeers.Parent)!;
        Assert.Equal(2, district.PeerCount);
        Near(new[] { a["C2"], a["M1"] }.Average(id => expected.Unit(ReportingFixture.Key(id)).Node("1").Points / 100m), district.Axes[0].PeerAverage);
        Assert.Null(DashboardQueries.Radar(model, a["C3"], RadarPeers.Round)); // nothing entered yet
    }

    [Fact]
    public async Task Dashboard_ForAnApprovedUnit_ShowsTheRecognisedScoreNotTheLiveOne()
    {
        var (roundId, a) = await fx.NewRoundAsync();
        await fx.StoreAsync(a["C1"], ReportingFixture.Figures("C1", 0.9m));
        await fx.StoreAsync(a["C2"], ReportingFixture.Figures("C2", 0.5m));
        await fx.SetStatusAsync(a["C2"], AssessmentStatus.Approved, recognisedTotal: 42.5m);

        var model = await fx.DashboardAsync(fx.Council(), roundId);

        var c2 = model.Ranking.Single(r => r.AssessmentId == a["C2"]);
        Assert.Equal(42.5m, c2.Score);
        Assert.False(c2.IsLive);
        Assert.Equal(ProgressBucket.Approved, c2.Bucket);
        Assert.True(model.Ranking.Single(r => r.AssessmentId == a["C1"]).IsLive);
    }

    [Fact]
    public async Task Dashboard_ForAnApprovedUnitWithItsStoredResult_ReadsTheLatestVersionsIndexPoints()
    {
        var (roundId, a) = await fx.NewRoundAsync();
        var c1 = ReportingFixture.Figures("C1", 0.9m);
        await fx.StoreAsync(a["C1"], c1); // the unit's own figures: what a live score would show
        var lower = fx.Expected([a["C1"]], new Dictionary<int, UnitValues> { [a["C1"]] = ReportingFixture.Figures("C1", 0.2m) }).Unit(ReportingFixture.Key(a["C1"]));
        var recognised = fx.Expected([a["C1"]], new Dictionary<int, UnitValues> { [a["C1"]] = ReportingFixture.Figures("C1", 0.45m) }).Unit(ReportingFixture.Key(a["C1"]));
        await fx.RecogniseAsync(a["C1"], lower, version: 1);
        await fx.RecogniseAsync(a["C1"], recognised, version: 2); // a re-approval after a reopened criterion

        var model = await fx.DashboardAsync(fx.ProvincialAdmin(), roundId);

        var row = model.Ranking.Single(r => r.AssessmentId == a["C1"]);
        Assert.False(row.IsLive);
        Assert.Equal(recognised.Total, row.Score);
        Assert.Equal(recognised.Node("1").Points / 100m, model.Units.Single(u => u.AssessmentId == a["C1"]).Shares[0]);
        Assert.Equal(recognised.Node("1").Points, model.WeakestIndices.Single().AveragePoints);
    }

    [Fact]
    public async Task Dashboard_AfterAUnitSavesAValue_ShowsTheNewScore()
    {
        // The unit saves through the use case, so the round's entry deadline must still be ahead (issue 15).
        var (roundId, a) = await fx.NewRoundAsync(2024, entryDeadline: DtiPortal.Integration.Tests.Assessments.AssessmentFixture.FutureEntryDeadline);
        var c1 = ReportingFixture.Figures("C1", 0.3m);
        await fx.StoreAsync(a["C1"], c1);
        await fx.StoreAsync(a["C2"], ReportingFixture.Figures("C2", 0.6m));
        var before = await fx.DashboardAsync(fx.ProvincialAdmin(), roundId);
        Assert.Equal(2, before.ScoredCount);

        // The commune saves 1.6 and the peer-relative 1.5's households through data entry (stored rows are at version 1),
        // and C3 starts entering. C2's figures do not change, but its 1.5 is relative to the round: it must be scored again.
        foreach (var (address, text) in new[] { ("1.6", "95"), ("1.5.a", "2.400") })
        {
            var saved = await fx.Entry.SaveAsync(fx.Entry.Officer("C1"), a["C1"], address, text, expectedVersion: 1);
            Assert.True(saved.Saved, saved.Error);
        }
        await fx.StoreAsync(a["C3"], new UnitValues("C3", new Dictionary<string, object?> { ["1.2"] = true }));
        var after = await fx.DashboardAsync(fx.ProvincialAdmin(), roundId);

        var values = new Dictionary<string, object?>(c1.Values) { ["1.6"] = 95m, ["1.5.a"] = 2400m };
        var expected = fx.Expected(a.Values, new Dictionary<int, UnitValues>
        {
            [a["C1"]] = c1 with { Values = values },
            [a["C2"]] = ReportingFixture.Figures("C2", 0.6m),
            [a["C3"]] = new UnitValues("C3", new Dictionary<string, object?> { ["1.2"] = true }),
        });
        Assert.NotEqual(before.Ranking.Single(r => r.AssessmentId == a["C1"]).Score, after.Ranking.Single(r => r.AssessmentId == a["C1"]).Score);
        Assert.Equal(expected.Unit(ReportingFixture.Key(a["C1"])).Total, after.Ranking.Single(r => r.AssessmentId == a["C1"]).Score);
        Assert.Equal(expected.Unit(ReportingFixture.Key(a["C3"])).Total, after.Ranking.Single(r => r.AssessmentId == a["C3"]).Score);
        Assert.Equal(expected.Unit(ReportingFixture.Key(a["C2"])).Total, after.Ranking.Single(r => r.AssessmentId == a["C2"]).Score);
        Assert.NotEqual(before.Ranking.Single(r => r.AssessmentId == a["C2"]).Score, after.Ranking.Single(r => r.AssessmentId == a["C2"]).Score);
        Assert.Equal(3, after.ScoredCount);
        Assert.Equal(ProgressBucket.InProgress, after.Ranking.Single(r => r.AssessmentId == a["C3"]).Bucket);
    }

    [Fact]
    public async Task Ranking_WhenTwoUnitsScoreTheSame_TheyShareARankAndTheNextRankIsSkipped()
    {
        var (roundId, a) = await fx.NewRoundAsync();
        await fx.StoreAsync(a["M1"], ReportingFixture.Figures("M1", 1m));
        await fx.StoreAsync(a["C1"], ReportingFixture.Figures("C1", 0.6m));
        await fx.StoreAsync(a["C2"], ReportingFixture.Figures("C2", 0.6m));
        await fx.StoreAsync(a["C3"], ReportingFixture.Figures("C3", 0.2m));

        var model = await fx.DashboardAsync(fx.ProvincialAdmin(), roundId);

        int? Rank(string unit) => model.Ranking.Single(r => r.AssessmentId == a[unit]).Rank;
        Assert.Equal(1, Rank("M1"));
        Assert.Equal(2, Rank("C1"));
        Assert.Equal(2, Rank("C2"));
        Assert.Equal(4, Rank("C3"));
        Assert.Null(Rank("E1"));
        Assert.Equal(model.Ranking.Single(r => r.AssessmentId == a["C1"]).Score, model.Ranking.Single(r => r.AssessmentId == a["C2"]).Score);
    }

    [Fact]
    public async Task UnitDrillDown_ShowsTheEnginesPointsPerCriterion_AndEvidenceCounts()
    {
        var (_, a) = await fx.NewRoundAsync();
        var figures = new Dictionary<int, UnitValues>
        {
            [a["C1"]] = ReportingFixture.Figures("C1", 0.8m),
            [a["C2"]] = ReportingFixture.Figures("C2", 0.4m),
        };
        foreach (var (id, v) in figures) await fx.StoreAsync(id, v);
        await fx.AddEvidenceLinkAsync(a["C1"], "1.2");
        await fx.AddEvidenceLinkAsync(a["C1"], "1.2");
        await fx.AddEvidenceLinkAsync(a["C1"], "1.4");
        var expected = fx.Expected(a.Values, figures).Unit(ReportingFixture.Key(a["C1"]));

        var unit = await fx.UnitAsync(fx.Reviewer("D"), a["C1"]);

        Assert.Equal(expected.Total, unit.SelfTotal);
        Assert.Equal(expected.Total, unit.AchievedTotal); // nothing appraised yet
        Assert.Equal(ProgressBucket.InProgress, unit.Bucket);
        Assert.Equal(3, unit.EvidenceCount);
        foreach (var node in expected.Nodes)
        {
            var row = unit.Rows.Single(r => r.Code == node.Code);
            Assert.Equal(node.Points, row.SelfPoints);
        }
        Assert.Equal(2, unit.Rows.Single(r => r.Code == "1.2").EvidenceCount);
        Assert.Equal(3, unit.Rows.Single(r => r.Code == "1").EvidenceCount);
        Assert.Equal(0, unit.Rows.Single(r => r.Code == "1.1").EvidenceCount);
        Assert.Equal([fx.Units["P"], fx.Units["D"], fx.Units["C1"]], unit.Breadcrumb.Select(c => c.UnitId));
        Assert.False(unit.Breadcrumb[0].CanOpen); // the district reviewer does not see the province
    }

    /// <summary>Averages of decimals summed in another order may differ in the 28th digit: compare at eight decimals.</summary>
    private static void Near(decimal expected, decimal? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(decimal.Round(expected, 8), decimal.Round(actual.Value, 8));
    }
}
