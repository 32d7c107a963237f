using System.Globalization;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.Domain.Scoring;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Application.Reporting;

/// <summary>
/// The dashboards of issue 7 (/tong-quan) for one round and one unit of the drill-down (province › district › commune):
/// progress by child unit against the deadlines, score and level distributions, the weakest main indices, the ranking
/// with the previous year, and each unit's share of the main indices for the radar.
/// <para>Set-based: the round's assessments, values and recognised results are read in a few queries on two open connections
/// (the user's, and the system's for the round's cohort) and the whole round is scored in one pass
/// (<see cref="ReviewScoring.Score"/>, self-assessed stage; peer-relative criteria against the whole round), kept by
/// <see cref="RoundScoreCache"/>, which reads again only the assessments whose values changed — never a query per unit.
/// scripts/bench-dashboard.sh measures it (docs/benchmarks.md).</para>
/// <para>Scope: assessments come through the tenancy filter (and RLS), so a district reviewer's dashboard holds their
/// district's communes only; averages are over what the user sees. The previous year's results of a unit's predecessors
/// (which may lie in another province since the 2025 mergers) are read as the system, for the visible units only, and
/// leave this class only as the unit's comparison.</para>
/// </summary>
public sealed class DashboardQueries(
    IDbContextFactory<DtiDbContext> dbFactory, AssessmentAccess access, AccessGuard guard, RoundSetCache sets, RoundScoreCache roundScores,
    ReviewQueries reviews, UnitHierarchy hierarchy, IServiceScopeFactory scopes, TimeProvider clock)
{
    public const string ViewAction = "Xem tổng quan";
    public const string RoundNotFound = "Không tìm thấy đợt đánh giá này, hoặc đợt đánh giá nằm ngoài phạm vi của bạn.";
    public const string UnitOutOfScope = "Đơn vị này nằm ngoài phạm vi của bạn hoặc không thuộc tỉnh của đợt đánh giá.";

    private static readonly StringComparer VietnameseOrder = StringComparer.Create(CultureInfo.GetCultureInfo("vi-VN"), ignoreCase: false);

    /// <summary>The rounds the user can read (rounds are reference data: the reader's unit must lie under the round's province), newest first.</summary>
    public async Task<IReadOnlyList<RoundSummary>> RoundsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var readable = (await db.AssessmentRounds.AsNoTracking().ToListAsync(ct)).Where(access.CanReadRound).Select(r => r.Id).ToList();
        return [.. (await RoundAdmin.SummariesAsync(db, db.AssessmentRounds.AsNoTracking().Where(r => readable.Contains(r.Id)), ct))
            .OrderByDescending(r => r.Year).ThenBy(r => r.Name, VietnameseOrder)];
    }

    /// <summary>
    /// The dashboard of a round below <paramref name="parentUnitId"/> (default: the top of the user's scope in the round's
    /// province — the province for the council and its administrators, the district for its reviewer).
    /// </summary>
    public async Task<DashboardModel> GetAsync(int roundId, int? parentUnitId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One connection for the whole read: the tenancy interceptor sets the scope once, not before each of the ~8 queries.
        await db.Database.OpenConnectionAsync(ct);
        var round = await db.AssessmentRounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null || !access.CanReadRound(round)) throw new AccessDeniedException(RoundNotFound);
        var summary = (await RoundAdmin.SummariesAsync(db, db.AssessmentRounds.AsNoTracking().Where(r => r.Id == roundId), ct)).Single();
        var set = await sets.GetAsync(db, round.CriteriaSetVersionId, ct);

        var root = RootOf(round.ProvinceUnitId);
        var parent = parentUnitId ?? root;
        if (!hierarchy.Subtree(root).Contains(parent) || !hierarchy.Subtree(round.ProvinceUnitId).Contains(parent))
        {
            await guard.DemandAsync(ViewAction, parent, [], ct); // audits the refusal when out of scope
            throw new AccessDeniedException(UnitOutOfScope);
        }

        // 1. The round's assessments the user sees (tenancy filter + RLS), with their units.
        var rows = await (from a in db.Assessments.AsNoTracking()
                          join u in db.Units.AsNoTracking() on a.UnitId equals u.Id
                          where a.RoundId == roundId
                          select new { a.Id, a.UnitId, a.Status, a.RecognisedTotal, a.RecognisedLevel, u.Name, u.Kind, u.ParentId })
            .ToListAsync(ct);

        // 2. Scores: the whole round in one pass (self-assessed values), and the recognised results of approved ones. The
        // round's other values (peer-relative criteria) and predecessors' results are read on one system connection.
        await using var systemScope = scopes.CreateAsyncScope();
        await using var system = new DtiDbContext(systemScope.ServiceProvider.GetRequiredService<DbContextOptions<DtiDbContext>>(), FixedUnitScope.System);
        await system.Database.OpenConnectionAsync(ct);
        var figures = await FiguresAsync(db, system, round, set,
            [.. rows.Select(r => new AssessmentRow(r.Id, r.UnitId, r.Kind.DisplayName() + " " + r.Name, r.ParentId, r.Status, r.RecognisedTotal, r.RecognisedLevel))],
            ct);

        // 3. Where each unit sits below the parent, and the names of everything shown.
        var childOf = new Dictionary<int, int>(); // assessment id → the parent's child containing it (the unit itself when it is that child)
        var under = new List<UnitFigures>();
        foreach (var f in figures)
        {
            if (f.UnitId == parent) { under.Add(f); continue; }
            var chain = hierarchy.AncestorsOf(f.UnitId);
            var at = IndexOf(chain, parent);
            if (at < 0) continue;
            under.Add(f);
            childOf[f.AssessmentId] = at == 0 ? f.UnitId : chain[at - 1];
        }
        var crumbIds = hierarchy.AncestorsOf(parent).TakeWhile(id => id != hierarchy.ParentOf(round.ProvinceUnitId)).Reverse().Append(parent).ToList();
        if (!crumbIds.Contains(round.ProvinceUnitId)) crumbIds = [parent];
        var (predecessors, previous, previousYear) = await PreviousYearAsync(db, system, round, set, figures, ct);
        var nameIds = crumbIds.Concat(childOf.Values).Concat(figures.Select(f => f.ParentId).OfType<int>())
            .Concat(predecessors.SelectMany(p => p.Value)).Distinct().ToList();
        var names = await db.Units.AsNoTracking().Where(u => nameIds.Contains(u.Id))
            .Select(u => new { u.Id, u.Name, u.Kind }).ToDictionaryAsync(u => u.Id, u => u.Kind.DisplayName() + " " + u.Name, ct);
        string NameOf(int id) => names.GetValueOrDefault(id, "");

        var hasPoints = DashboardMath.MaxScore(set.Set) > 0;
        var levels = set.Set.Levels;
        var today = DashboardMath.VietnamToday(clock);
        var scored = under.Where(f => f.HasResult).ToList();
        var withScore = scored.Where(f => f.Score is not null).ToList();

        // Children of the parent that hold round units (districts of the province, or the district's communes).
        var children = under.Where(f => childOf.ContainsKey(f.AssessmentId)).GroupBy(f => childOf[f.AssessmentId])
            .Select(g =>
            {
                var list = g.ToList();
                var self = list.FirstOrDefault(f => f.UnitId == g.Key);
                var withResult = list.Where(f => f.HasResult).ToList();
                var points = withResult.Where(f => f.Score is not null).Select(f => f.Score!.Value).ToList();
                var reached = withResult.Where(f => f.Level is not null).Select(f => f.Level!.Value).ToList();
                return new ChildProgress(g.Key, NameOf(g.Key), self?.AssessmentId, list.Count, ProgressCounts.Of(list.Select(f => f.Bucket)),
                    list.Count(f => f.Overdue != OverdueStage.None), withResult.Count,
                    hasPoints && points.Count > 0 ? points.Average() : null,
                    levels.Count > 0 && reached.Count > 0 ? (decimal)reached.Average() : null,
                    self is null);
            })
            .OrderBy(c => c.Name, VietnameseOrder).ToList();

        var mainIndices = set.Set.Tree.Select(n => new MainIndex(n.Code, n.Name, n.Max)).ToList();
        var withShares = scored.Where(f => f.Shares is not null).ToList();
        var weakest = mainIndices.Select((m, i) => new IndexShare(m.Code, m.Name, m.Max,
                withShares.Count == 0 ? 0 : withShares.Average(f => f.Shares![i]),
                hasPoints && withShares.Count > 0 ? withShares.Average(f => f.IndexPoints![i]) : null,
                withShares.Count))
            .Where(x => x.UnitCount > 0)
            .OrderBy(x => x.AverageShare).ThenBy(x => x.Code, StringComparer.Ordinal).ToList();

        var keys = under.Select(f => f.HasResult ? (hasPoints ? f.Score : f.Level) : null).ToList();
        var ranks = DashboardMath.Ranks(keys);
        var ranking = under.Select((f, i) => new RankingRow(ranks[i], f.AssessmentId, f.UnitId, f.Name, f.ParentId,
                f.ParentId is { } p ? NameOf(p) : null, f.Status, f.Bucket, f.Overdue, hasPoints ? f.Score : null, f.Level, f.IsLive,
                Compare(f, predecessors, previous, previousYear, NameOf)))
            .OrderBy(r => r.Rank ?? int.MaxValue).ThenBy(r => r.UnitName, VietnameseOrder).ToList();

        var units = figures.Where(f => f.Shares is not null)
            .Select(f => new UnitIndexShares(f.AssessmentId, f.UnitId, f.Name, f.ParentId, f.ParentId is { } p ? NameOf(p) : null, f.Shares!))
            .ToList();

        return new DashboardModel(summary, hasPoints, DashboardMath.MaxScore(set.Set), levels,
            parent, NameOf(parent), [.. crumbIds.Select(id => new UnitCrumb(id, NameOf(id), access.Scope.CanSee(id)))],
            today,
            ProgressCounts.Of(under.Select(f => f.Bucket)),
            new OverdueCounts(under.Count(f => f.Overdue == OverdueStage.Entry), under.Count(f => f.Overdue == OverdueStage.Review),
                under.Count(f => f.Overdue == OverdueStage.Council)),
            children,
            hasPoints ? DashboardMath.Bins(withScore.Select(f => f.Score!.Value), DashboardMath.MaxScore(set.Set)) : [],
            DashboardMath.LevelCounts(scored.Where(f => f.Level is not null).Select(f => f.Level!.Value), levels),
            mainIndices, weakest, ranking, previousYear, units);
    }

    /// <summary>
    /// The radar of one unit: its share of each main index against the average of its peers (every other unit of the round
    /// the user sees, or those with the same parent). Null when the unit has no result yet.
    /// </summary>
    public static RadarData? Radar(DashboardModel model, int assessmentId, RadarPeers peers)
    {
        var unit = model.Units.FirstOrDefault(u => u.AssessmentId == assessmentId);
        if (unit is null) return null;
        var others = model.Units.Where(u => u.AssessmentId != assessmentId && (peers == RadarPeers.Round || u.ParentId == unit.ParentId)).ToList();
        var label = peers == RadarPeers.Round
            ? "trung bình các đơn vị khác của đợt"
            : $"trung bình các đơn vị khác thuộc {unit.ParentName ?? "cùng đơn vị cấp trên"}";
        return new RadarData(unit.AssessmentId, unit.UnitName, label, others.Count,
            [.. model.MainIndices.Select((m, i) => new RadarAxis(m.Code, m.Name, unit.Shares[i], others.Count > 0 ? others.Average(o => o.Shares[i]) : null))]);
    }

    /// <summary>
    /// One assessed unit's main indices and criteria (self-assessed and achieved points, levels met, evidence counts): the
    /// stored recognised result once approved, else computed live as the review page does.
    /// </summary>
    public async Task<UnitDashboard> UnitAsync(int assessmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var (a, round, set) = await access.LoadAsync(db, assessmentId, ViewAction, track: false, ct);
        var summary = (await RoundAdmin.SummariesAsync(db, db.AssessmentRounds.AsNoTracking().Where(r => r.Id == round.Id), ct)).Single();
        var unit = await db.Units.AsNoTracking().Where(u => u.Id == a.UnitId).Select(u => new { u.Name, u.Kind, u.ParentId }).SingleAsync(ct);

        IReadOnlyList<ResultRow> rows;
        decimal selfTotal, achievedTotal;
        int? selfLevel, achievedLevel;
        var stored = a.IsLocked
            ? await db.RecognisedResults.AsNoTracking().Where(r => r.AssessmentId == a.Id).OrderByDescending(r => r.Version).FirstOrDefaultAsync(ct)
            : null;
        if (stored is not null)
        {
            rows = Recognition.ReadRows(stored.ResultJson);
            (selfTotal, achievedTotal, selfLevel, achievedLevel) = (stored.SelfTotal, stored.Total, stored.SelfLevel, stored.Level);
        }
        else
        {
            var computed = await reviews.ComputeAsync(db, a, round, set, ct);
            rows = computed.Rows;
            (selfTotal, achievedTotal, selfLevel, achievedLevel) = (computed.Self.Total, computed.Achieved.Total, computed.Self.Level, computed.Achieved.Level);
        }

        var evidence = await db.EvidenceFiles.AsNoTracking().Where(e => e.AssessmentId == a.Id && e.DeletedAt == null)
            .GroupBy(e => e.CriterionCode).Select(g => new { Code = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Code, x => x.Count, ct);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int Count(Domain.Criteria.CriterionNode node) =>
            counts[node.Code] = node.IsGroup ? node.Children.Sum(Count) : evidence.GetValueOrDefault(node.Code);
        foreach (var n in set.Set.Tree) Count(n);

        var hasValues = await db.AssessmentValues.AsNoTracking().AnyAsync(v => v.AssessmentId == a.Id && v.ValueJson != null, ct);
        var crumbIds = hierarchy.AncestorsOf(a.UnitId).TakeWhile(id => id != hierarchy.ParentOf(round.ProvinceUnitId)).Reverse().ToList();
        var names = await db.Units.AsNoTracking().Where(u => crumbIds.Contains(u.Id)).Select(u => new { u.Id, u.Name, u.Kind })
            .ToDictionaryAsync(u => u.Id, u => u.Kind.DisplayName() + " " + u.Name, ct);
        var unitName = unit.Kind.DisplayName() + " " + unit.Name;
        var crumbs = crumbIds.Select(id => new UnitCrumb(id, names.GetValueOrDefault(id, ""), access.Scope.CanSee(id)))
            .Append(new UnitCrumb(a.UnitId, unitName, true)).ToList();

        return new UnitDashboard(a.Id, summary, a.UnitId, unitName, unit.ParentId, unit.ParentId is { } p ? names.GetValueOrDefault(p) : null,
            a.Status, DashboardMath.Bucket(a.Status, hasValues), DashboardMath.Overdue(a.Status, summary, DashboardMath.VietnamToday(clock)), stored is not null,
            DashboardMath.MaxScore(set.Set) > 0, DashboardMath.MaxScore(set.Set), set.Set.Levels,
            selfTotal, achievedTotal, selfLevel, achievedLevel,
            [.. rows.Select(r => new UnitCriterionRow(r.Code, r.Name, r.Depth, r.IsGroup, r.Max, r.SelfPoints, r.AchievedPoints,
                r.SelfLevelMet, r.AchievedLevelMet, counts.GetValueOrDefault(r.Code)))],
            evidence.Values.Sum(), crumbs);
    }

    // ---- the round's figures -------------------------------------------------------------------------------------------

    private sealed record AssessmentRow(int Id, int UnitId, string Name, int? ParentId, AssessmentStatus Status, decimal? RecognisedTotal, int? RecognisedLevel);

    /// <summary>One unit's figures as every part of the dashboard counts them.</summary>
    private sealed record UnitFigures(
        int AssessmentId, int UnitId, string Name, int? ParentId, AssessmentStatus Status, ProgressBucket Bucket, OverdueStage Overdue,
        bool HasResult, decimal? Score, int? Level, bool IsLive, decimal[]? Shares, decimal[]? IndexPoints);

    private async Task<List<UnitFigures>> FiguresAsync(DtiDbContext db, DtiDbContext system, AssessmentRound round, EntrySet set,
        IReadOnlyList<AssessmentRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return [];
        var scores = await roundScores.GetAsync(system, round.Id, set, ct);

        var lockedIds = rows.Where(r => r.Status is AssessmentStatus.Approved or AssessmentStatus.Published).Select(r => r.Id).ToArray();
        var results = lockedIds.Length == 0 ? [] : (await RecognisedAsync(db, lockedIds, ct)).GroupBy(x => x.AssessmentId).ToDictionary(g => g.Key,
            g => new Recognised(g.First().Total, g.First().Level,
                g.Where(x => x.Code is not null).ToDictionary(x => x.Code!, x => (Points: x.Points ?? 0, x.LevelMet), StringComparer.Ordinal)));

        var leaves = DashboardMath.LeavesByIndex(set.Set);
        var today = DashboardMath.VietnamToday(clock);
        var list = new List<UnitFigures>(rows.Count);
        foreach (var r in rows)
        {
            // An assessment created after the round's scores were read (a unit added to a running round) has no figures yet.
            var scored = scores.Live.TryGetValue(r.Id, out var unit);
            var hasValues = scored && scores.WithValues.Contains(r.Id);
            var bucket = DashboardMath.Bucket(r.Status, hasValues);
            var overdue = DashboardMath.Overdue(r.Status, round.EntryDeadline, round.ReviewDeadline, round.CouncilDeadline, round.HasDistrictTier, today);
            decimal? score;
            int? level;
            decimal[]? shares;
            decimal[]? points;
            var isLive = true;
            var stored = results.GetValueOrDefault(r.Id);
            var shown = DisplayedScore.Choose(r.Status, r.RecognisedTotal ?? stored?.Total,
                r.RecognisedTotal is not null ? r.RecognisedLevel : stored?.Level, unit, usesPoints: true);
            if (bucket == ProgressBucket.Approved && unit is not null && shown.Recognised)
            {
                // Issue 15: the recognised result, as every other page shows it (DisplayedScore).
                isLive = false;
                score = shown.Total;
                level = shown.Level;
                if (stored is { Nodes.Count: > 0 } s)
                {
                    shares = DashboardMath.Shares(set.Set, leaves, c => s.Nodes.GetValueOrDefault(c).Points, c => s.Nodes.GetValueOrDefault(c).LevelMet);
                    points = [.. set.Set.Tree.Select(n => s.Nodes.GetValueOrDefault(n.Code).Points)];
                }
                else
                {
                    // A recognised total without its rows (imported results): the live figures show where the points lie.
                    shares = DashboardMath.Shares(set.Set, leaves, c => unit.Node(c).Points, c => unit.Node(c).LevelMet);
                    points = [.. set.Set.Tree.Select(n => unit.Node(n.Code).Points)];
                }
            }
            else if (unit is not null && (hasValues || bucket != ProgressBucket.NotStarted))
            {
                score = shown.Total;
                level = shown.Level;
                shares = DashboardMath.Shares(set.Set, leaves, c => unit.Node(c).Points, c => unit.Node(c).LevelMet);
                points = [.. set.Set.Tree.Select(n => unit.Node(n.Code).Points)];
            }
            else
            {
                (score, level, shares, points) = (null, null, null, null);
            }
            list.Add(new UnitFigures(r.Id, r.UnitId, r.Name, r.ParentId, r.Status, bucket, overdue, score is not null || level is not null,
                score, level, isLive, shares, points));
        }
        return list;
    }

    private sealed record Recognised(decimal Total, int? Level, IReadOnlyDictionary<string, (decimal Points, int? LevelMet)> Nodes);

    /// <summary>One main index or criterion of a stored recognised result (<see cref="ResultRow"/>, achieved stage).</summary>
    private sealed class RecognisedNode
    {
        public int AssessmentId { get; set; }
        public decimal Total { get; set; }
        public int? Level { get; set; }
        public string? Code { get; set; }
        public decimal? Points { get; set; }
        public int? LevelMet { get; set; }
    }

    /// <summary>
    /// The current recognised results' totals, and from their rows (<see cref="RecognisedResult.ResultJson"/>, a JSON array of
    /// <see cref="ResultRow"/> written with <see cref="ReviewScoring.Json"/>: camelCase) only what the dashboard needs — the
    /// main indices' and the criteria's achieved points and levels — picked out by PostgreSQL rather than deserialising
    /// every row of every result here. A result whose rows are empty still gives its total (one row with a null code).
    /// </summary>
    private static Task<List<RecognisedNode>> RecognisedAsync(DtiDbContext db, int[] assessmentIds, CancellationToken ct) =>
        db.Database.SqlQuery<RecognisedNode>($"""
            select r.assessment_id as "AssessmentId", r.total as "Total", r.level as "Level",
                   e.value->>'code' as "Code", (e.value->>'achievedPoints')::numeric as "Points", (e.value->>'achievedLevelMet')::int as "LevelMet"
            from recognised_results r
            left join lateral jsonb_array_elements(r.result) as e(value)
              on (e.value->>'depth')::int = 0 or not (e.value->>'isGroup')::boolean
            where r.assessment_id = any({assessmentIds})
              and r.version = (select max(x.version) from recognised_results x where x.assessment_id = r.assessment_id)
            """).ToListAsync(ct);

    // ---- year over year ------------------------------------------------------------------------------------------------

    private sealed record PreviousResult(int UnitId, decimal? Score, decimal? Level);

    /// <summary>
    /// The previous year's recognised results (rounds of the same level in any province) of the visible units and of their
    /// predecessors; a measure is kept only where both sets have it (points with points, levels with levels).
    /// </summary>
    private async Task<(Dictionary<int, int[]> Predecessors, Dictionary<int, PreviousResult> Previous, int? Year)> PreviousYearAsync(
        DtiDbContext db, DtiDbContext system, AssessmentRound round, EntrySet set, IReadOnlyList<UnitFigures> figures, CancellationToken ct)
    {
        var none = (new Dictionary<int, int[]>(), new Dictionary<int, PreviousResult>(), (int?)null);
        if (figures.Count == 0) return none;
        var rounds = await db.AssessmentRounds.AsNoTracking().Where(r => r.Year == round.Year - 1 && r.LevelCode == round.LevelCode)
            .Select(r => new { r.Id, r.CriteriaSetVersionId }).ToListAsync(ct);
        if (rounds.Count == 0) return none;

        var unitIds = figures.Select(f => f.UnitId).Distinct().ToList();
        var links = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id))
            .SelectMany(u => u.Predecessors.Select(p => new { u.Id, p.PredecessorId })).ToListAsync(ct);
        var predecessors = links.GroupBy(l => l.Id).ToDictionary(g => g.Key, g => g.Select(l => l.PredecessorId).Distinct().ToArray());
        var lookup = unitIds.Concat(links.Select(l => l.PredecessorId)).Distinct().ToList();
        var roundIds = rounds.Select(r => r.Id).ToList();

        // Read as the system: a predecessor merged from another province lies outside the user's subtree, but its result is
        // this unit's history. Only these units' recognised totals are read, and only averages per visible unit leave.
        var results = await system.Assessments.AsNoTracking()
            .Where(a => roundIds.Contains(a.RoundId) && lookup.Contains(a.UnitId)
                        && (a.Status == AssessmentStatus.Approved || a.Status == AssessmentStatus.Published))
            .Select(a => new { a.UnitId, a.RoundId, a.RecognisedTotal, a.RecognisedLevel }).ToListAsync(ct);

        var hasPoints = DashboardMath.MaxScore(set.Set) > 0;
        var hasLevels = set.Set.Levels.Count > 0;
        var comparable = new Dictionary<int, (bool Points, bool Levels)>();
        foreach (var r in rounds)
        {
            var previousSet = await sets.GetAsync(db, r.CriteriaSetVersionId, ct);
            comparable[r.Id] = (hasPoints && DashboardMath.MaxScore(previousSet.Set) > 0, hasLevels && previousSet.Set.Levels.Count > 0);
        }
        var previous = results.GroupBy(r => r.UnitId).ToDictionary(g => g.Key, g =>
        {
            var latest = g.OrderByDescending(r => r.RoundId).First();
            var (points, lv) = comparable[latest.RoundId];
            return new PreviousResult(g.Key, points ? latest.RecognisedTotal : null, lv ? latest.RecognisedLevel : null);
        });
        return (predecessors, previous, round.Year - 1);
    }

    /// <summary>The unit's own previous result, else the average of its predecessors' that have one.</summary>
    private static YearOverYear? Compare(UnitFigures f, Dictionary<int, int[]> predecessors, Dictionary<int, PreviousResult> previous, int? year,
        Func<int, string> nameOf)
    {
        if (year is null || !f.HasResult) return null;
        List<PreviousResult> sources;
        var merged = 0;
        if (previous.TryGetValue(f.UnitId, out var own) && (own.Score is not null || own.Level is not null)) sources = [own];
        else
        {
            sources = [.. predecessors.GetValueOrDefault(f.UnitId, []).Select(previous.GetValueOrDefault).OfType<PreviousResult>()
                .Where(p => p.Score is not null || p.Level is not null)];
            merged = sources.Count;
        }
        if (sources.Count == 0) return null;
        var scores = sources.Where(s => s.Score is not null).Select(s => s.Score!.Value).ToList();
        var levels = sources.Where(s => s.Level is not null).Select(s => s.Level!.Value).ToList();
        decimal? previousScore = scores.Count > 0 && f.Score is not null ? scores.Average() : null;
        decimal? previousLevel = levels.Count > 0 && f.Level is not null ? levels.Average() : null;
        if (previousScore is null && previousLevel is null) return null;
        return new YearOverYear(year.Value, previousScore, previousLevel,
            previousScore is { } ps ? f.Score!.Value - ps : null,
            previousLevel is { } pl ? f.Level!.Value - pl : null,
            merged, [.. sources.Select(s => nameOf(s.UnitId))]);
    }

    // ---- scope ---------------------------------------------------------------------------------------------------------

    /// <summary>
    /// The top of the drill-down for this user in the round's province: the province when they see it (council, provincial
    /// and system administrators), else their own unit (a district reviewer's district, a commune officer's commune).
    /// </summary>
    private int RootOf(int provinceId)
    {
        var scope = access.Scope;
        if (scope.IsUnrestricted || scope.CanSee(provinceId)) return provinceId;
        var province = hierarchy.Subtree(provinceId);
        if (scope.HomeUnitId is { } home && province.Contains(home)) return home;
        var inside = scope.UnitIds.Where(province.Contains).ToList();
        return inside.Count == 0 ? provinceId : inside.OrderBy(id => hierarchy.AncestorsOf(id).Count).First();
    }

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }
}
