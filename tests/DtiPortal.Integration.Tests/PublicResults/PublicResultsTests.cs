using DtiPortal.Application.Assessments;
using DtiPortal.Application.PublicResults;
using DtiPortal.Application.Reviews;
using DtiPortal.Domain.Criteria;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Integration.Tests.PublicResults;

/// <summary>
/// Issue 7, public results: only Published assessments of published rounds ever reach the public use case (the security
/// boundary: it reads as the system because a visitor's scope sees nothing), the stored result is shown as published,
/// ranks tie as 1, 2, 2, 4, and a publication through PublishRound clears the cache at once.
/// </summary>
public class PublicResultsTests(PublicResultsFixture fx) : IClassFixture<PublicResultsFixture>
{
    [Fact]
    public async Task PublishedRound_WhenAnonymousReads_ShowsOnlyPublishedAssessments()
    {
        var (roundId, a) = await fx.Review.Entry.NewRoundAsync();
        await fx.ArrangeAsync(a, "LD", AssessmentStatus.Approved, total: 80);
        await fx.ArrangeAsync(a, "C3", AssessmentStatus.Approved, total: 72.5m);
        await fx.PublishAsync(roundId); // LD and C3 become Published; the round is published
        // Then, after the publication: an approval that has not been published yet (the highest score: it would rank first
        // if it leaked), a submission still under review, and a draft.
        await fx.ArrangeAsync(a, "NQ", AssessmentStatus.Approved, total: 99);
        await fx.ArrangeAsync(a, "C1", AssessmentStatus.Submitted);
        await fx.ArrangeAsync(a, "C2", AssessmentStatus.Draft);

        var results = fx.Anonymous();
        var round = await results.RoundAsync(roundId);
        Assert.NotNull(round);
        Assert.Equal([a["LD"], a["C3"]], round.Ranking.Rows.Select(r => r.AssessmentId));
        Assert.Equal(["Xã Lạc Đạo", "Thị trấn Xã C3"], round.Ranking.Rows.Select(r => r.UnitName));
        Assert.All(round.Ranking.Rows, r => Assert.Equal("Huyện Xã D", r.ParentName));
        Assert.Equal([80m, 72.5m], round.Ranking.Rows.Select(r => r.Total));
        Assert.Equal([80m, 72.5m], round.Ranking.Rows.Select(r => r.Indices.Single())); // the depth-0 row "1" of each stored result
        Assert.Equal("1", round.Ranking.Scale.Indices.Single().Code);
        Assert.Equal(2, round.Round.UnitCount);

        var landing = await results.LandingAsync();
        Assert.Equal(2, landing.Rounds.Single(r => r.Id == roundId).UnitCount);

        var detail = await results.UnitAsync(roundId, a["LD"]);
        Assert.NotNull(detail);
        Assert.Equal(80m, detail.Total);
        Assert.Equal(81m, detail.SelfTotal);
        Assert.Equal(1, detail.Rank);
        Assert.Equal("01/2024/QĐ-CĐS", detail.DocumentNumber);
        Assert.Equal(["1", "1.1", "1.2"], detail.Rows.Select(r => r.Code));

        foreach (var hidden in new[] { "NQ", "C1", "C2" })
            Assert.Null(await results.UnitAsync(roundId, a[hidden]));
        Assert.Null(await results.UnitAsync(roundId + 1000, a["LD"])); // the right assessment under another round id
    }

    [Fact]
    public async Task Round_WithoutPublishedAt_ShowsNothing_EvenIfAnAssessmentSaysPublished()
    {
        var (roundId, a) = await fx.Review.Entry.NewRoundAsync();
        await fx.ArrangeAsync(a, "C1", AssessmentStatus.Published, total: 50);

        var results = fx.Anonymous();
        Assert.Null(await results.RoundAsync(roundId));
        Assert.Null(await results.UnitAsync(roundId, a["C1"]));
        fx.Cache.Invalidate(roundId); // the landing list may be cached by another test: read it afresh
        Assert.DoesNotContain((await results.LandingAsync()).Rounds, r => r.Id == roundId);
    }

    [Fact]
    public async Task PublishedAssessment_ReapprovedAfterPublication_ShowsTheVersionThatWasPublished()
    {
        var (roundId, a) = await fx.Review.Entry.NewRoundAsync();
        await fx.ArrangeAsync(a, "DD", AssessmentStatus.Approved, total: 64, approvedAt: DateTimeOffset.UtcNow.AddHours(-1));
        await fx.PublishAsync(roundId);
        // A criterion reopened and re-approved after the publication writes version 2; it is not public until published again.
        await fx.AddResultAsync(a["DD"], 12, DateTimeOffset.UtcNow, version: 2);
        fx.Cache.Invalidate(roundId);

        var results = fx.Anonymous();
        Assert.Equal(64m, (await results.UnitAsync(roundId, a["DD"]))!.Total);
        Assert.Equal(64m, (await results.RoundAsync(roundId))!.Ranking.Rows.Single().Total);

        // Published again by the provincial admin: the corrected version is public at once, with a "Republish" step.
        await fx.PublishAsync(roundId);
        results = fx.Anonymous();
        Assert.Equal(12m, (await results.UnitAsync(roundId, a["DD"]))!.Total);
        Assert.Equal(12m, (await results.RoundAsync(roundId))!.Ranking.Rows.Single().Total);
        await using var db = fx.Review.Entry.Db.OwnerContext();
        Assert.Equal(1, await db.WorkflowSteps.CountAsync(s => s.AssessmentId == a["DD"] && s.Action == ReviewActions.Republish));

        // Nothing left to publish again: a third publication is refused and writes nothing.
        var again = await fx.Review.Entry.AsAsync<PublishRound, ReviewResult>(fx.Review.Admin(), p => p.HandleAsync(roundId));
        Assert.False(again.Ok);
        Assert.Equal(1, await db.WorkflowSteps.CountAsync(s => s.AssessmentId == a["DD"] && s.Action == ReviewActions.Republish));
    }

    [Fact]
    public async Task PublishedAssessment_WithACriterionStillReopened_IsNotPublishedAgain()
    {
        var (roundId, a) = await fx.Review.Entry.NewRoundAsync();
        await fx.ArrangeAsync(a, "NQ", AssessmentStatus.Approved, total: 50, approvedAt: DateTimeOffset.UtcNow.AddHours(-1));
        await fx.PublishAsync(roundId);
        await fx.AddResultAsync(a["NQ"], 30, DateTimeOffset.UtcNow, version: 2);
        await using (var db = fx.Review.Entry.Db.OwnerContext())
            await db.Database.ExecuteSqlAsync($"update assessments set reopened_criterion = '1.2', reopen_reason = 'Kiểm tra lại' where id = {a["NQ"]}");

        var publish = await fx.Review.Entry.AsAsync<PublishRound, ReviewResult>(fx.Review.Admin(), p => p.HandleAsync(roundId));

        Assert.False(publish.Ok);
        fx.Cache.Invalidate(roundId);
        Assert.Equal(50m, (await fx.Anonymous().UnitAsync(roundId, a["NQ"]))!.Total);
    }

    [Fact]
    public async Task Cache_WhenPublishRoundPublishesMore_ShowsThemAtOnce()
    {
        var (roundId, a) = await fx.Review.Entry.NewRoundAsync();
        await fx.ArrangeAsync(a, "C1", AssessmentStatus.Approved, total: 40);
        await fx.PublishAsync(roundId);
        var results = fx.Anonymous();
        Assert.Equal([a["C1"]], (await results.RoundAsync(roundId))!.Ranking.Rows.Select(r => r.AssessmentId));
        Assert.Equal(1, (await results.LandingAsync()).Rounds.Single(r => r.Id == roundId).UnitCount);

        // Approved later: not public, and the cached ranking is still right.
        await fx.ArrangeAsync(a, "C2", AssessmentStatus.Approved, total: 60);
        Assert.Single((await results.RoundAsync(roundId))!.Ranking.Rows);
        var generation = fx.Cache.Generation;

        await fx.PublishAsync(roundId); // PublishRound calls IPublicResultsCache.Invalidate after its commit
        Assert.True(fx.Cache.Generation > generation);
        Assert.Equal([a["C2"], a["C1"]], (await results.RoundAsync(roundId))!.Ranking.Rows.Select(r => r.AssessmentId));
        Assert.Equal(2, (await results.LandingAsync()).Rounds.Single(r => r.Id == roundId).UnitCount);
        Assert.NotNull(await results.UnitAsync(roundId, a["C2"]));
    }

    [Fact]
    public async Task Ranking_WithEqualTotals_SharesTheRank_AndSearchIgnoresAccents()
    {
        var (roundId, a) = await fx.Review.Entry.NewRoundAsync();
        foreach (var (unit, total) in new[] { ("C1", 70m), ("LD", 80m), ("NQ", 90m), ("DD", 80m) })
            await fx.ArrangeAsync(a, unit, AssessmentStatus.Approved, total);
        await fx.PublishAsync(roundId);

        var ranking = (await fx.Anonymous().RoundAsync(roundId))!.Ranking;
        Assert.Equal([(1, "Thị trấn Như Quỳnh"), (2, "Xã Đình Dù"), (2, "Xã Lạc Đạo"), (4, "Xã Xã C1")],
            ranking.Rows.Select(r => (r.Rank, r.UnitName)));
        Assert.Equal(["Xã Lạc Đạo"], ranking.Filter("lac dao", null).Select(r => r.UnitName));
        Assert.Equal(["Thị trấn Như Quỳnh"], ranking.Filter("NHU QUYNH", null).Select(r => r.UnitName));
        Assert.Equal(["Xã Lạc Đạo"], ranking.Filter("  Lạc ", null).Select(r => r.UnitName));
        Assert.Equal([2], ranking.Filter("dinh du", null).Select(r => r.Rank)); // ranks stay those of the whole round
        Assert.Equal(4, ranking.Filter(null, fx.Review.Entry.Units["D"]).Count);
        Assert.Empty(ranking.Filter(null, fx.Review.Entry.Units["Q"]));
    }

    [Fact]
    public async Task NationalRanking_OfAYear_HoldsOnlyPublishedUnits()
    {
        var (roundId, a) = await fx.Review.Entry.NewRoundAsync();
        await fx.ArrangeAsync(a, "C3", AssessmentStatus.Approved, total: 55);
        await fx.PublishAsync(roundId);
        await fx.ArrangeAsync(a, "C2", AssessmentStatus.Approved, total: 99);

        int versionId;
        await using (var db = fx.Review.Entry.Db.OwnerContext())
            versionId = await db.AssessmentRounds.Where(r => r.Id == roundId).Select(r => r.CriteriaSetVersionId).SingleAsync();
        var national = await fx.Anonymous().NationalAsync(2024, versionId);
        Assert.NotNull(national);
        Assert.Contains(national.Ranking.Rows, r => r.AssessmentId == a["C3"]);
        Assert.DoesNotContain(national.Ranking.Rows, r => r.AssessmentId == a["C2"]);
        var mine = national.Ranking.Rows.Single(r => r.AssessmentId == a["C3"]);
        Assert.Equal("Tỉnh Xã P", mine.ProvinceName);
        Assert.Empty(mine.Indices); // the national ranking reads totals only; a page adds the main indices of what it shows
        var shown = await fx.Anonymous().WithIndicesAsync(national, [mine]);
        Assert.Equal([55m], shown.Single().Indices);
        Assert.Null(await fx.Anonymous().NationalAsync(2019, versionId));
    }

    [Fact]
    public void Build_LevelsOnlySet_RanksByLevelThenName_WithTies()
    {
        var scale = new RankingScale(LevelsOnly: true, MaxPoints: null, [new MainIndex("I", "Chính quyền số", 0)],
            [new MaturityLevel(1, "Khởi động"), new MaturityLevel(2, "Kết nối"), new MaturityLevel(3, "Cơ bản")]);
        RankingInput Unit(int id, string name, int? level) => new(id, 1, id, name, 9, "Huyện A", 1, "Tỉnh B", 0, level, [level]);
        var ranking = PublicRanking.Build(scale, [Unit(1, "Xã Yên", 2), Unit(2, "Xã An", 3), Unit(3, "Xã Bình", 2), Unit(4, "Xã Đông", null), Unit(5, "Xã Ân", 3)],
            filterByProvince: false);

        Assert.Equal([(1, "Xã An"), (1, "Xã Ân"), (3, "Xã Bình"), (3, "Xã Yên"), (5, "Xã Đông")], ranking.Rows.Select(r => (r.Rank, r.UnitName)));
        Assert.Equal("Cơ bản", ranking.Rows[0].LevelName);
        Assert.Equal([("Mức 3 – Cơ bản", 2), ("Mức 2 – Kết nối", 2), ("Mức 1 – Khởi động", 0), ("Chưa đạt mức 1", 1)],
            ranking.Distribution.Select(d => (d.Label, d.Count)));
        Assert.Empty(ranking.Filters); // one district only: nothing to filter by
    }
}
