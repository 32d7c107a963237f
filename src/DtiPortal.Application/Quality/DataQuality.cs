using System.Globalization;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Quality;
using DtiPortal.Domain.Scoring;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Application.Quality;

/// <summary>
/// The data-quality checks of a round (issue 15, <see cref="OutlierAnalysis"/>): which submitted figures moved more than the
/// configured share since the unit's previous round of the same tier (through its merged predecessors), and which lie far
/// from the round's peers. The cohort and the previous rounds are read as the system (a median needs every peer); only the
/// flags of assessments the user may see leave this class, so a district reviewer lists their district's communes only.
/// Figures are the units' own (self-assessed) values: the checks point reviewers at what the unit declared.
/// </summary>
public sealed class DataQuality(IDbContextFactory<DtiDbContext> dbFactory, IServiceScopeFactory scopes, ReviewAccess review,
    AssessmentAccess access, RoundSetCache sets, QualitySettings settings)
{
    public const string RatioPrefix = "ratio:";
    public const string Action = "Kiểm tra chất lượng số liệu";

    public QualitySettings Settings => settings;

    /// <summary>Reads the thresholds from appsettings <c>DataQuality:ChangeShare|MinCohort|ZThreshold</c> (defaults 0,5 · 5 · 3,5).</summary>
    public static QualitySettings SettingsFrom(IConfiguration? configuration)
    {
        var d = QualitySettings.Default;
        var s = new QualitySettings(
            Dec(configuration?["DataQuality:ChangeShare"]) ?? d.ChangeShare,
            int.TryParse(configuration?["DataQuality:MinCohort"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : d.MinCohort,
            Dec(configuration?["DataQuality:ZThreshold"]) ?? d.ZThreshold);
        s.Validate();
        return s;

        static decimal? Dec(string? text) =>
            decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    /// <summary>The flagged figures of a round in the user's scope (reviewers, the council, administrators).</summary>
    public Task<Result<QualityReport>> RoundAsync(int roundId, QualityFilter? filter = null, CancellationToken ct = default) =>
        Result<QualityReport>.Refusals(() => RoundCoreAsync(roundId, filter ?? new QualityFilter(), ct));

    /// <summary>The flags and the marks of one assessment, for its review page (or its entry page: marks only matter there).</summary>
    public Task<Result<AssessmentQuality>> AssessmentAsync(int assessmentId, CancellationToken ct = default) =>
        Result<AssessmentQuality>.Refusals(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var (a, round, _) = await access.LoadAsync(db, assessmentId, Action, track: false, ct);
            var marks = await MarksAsync(db, [a.Id], ct);
            IReadOnlyList<QualityFlagRow> flags = [];
            if (IsChecker && a.Status != AssessmentStatus.Draft)
                flags = (await FlagsAsync(db, round, [a.Id], settings, ct)).Flags;
            return Result<AssessmentQuality>.Success(new AssessmentQuality(flags, marks.GetValueOrDefault(a.Id) ?? []));
        });

    /// <summary>Who runs the checks: reviewers, the council and administrators (the unit sees only the marks).</summary>
    public bool IsChecker => review.IsSystem || review.IsDistrictReviewer || review.IsCouncil || review.IsAdmin;

    private async Task<Result<QualityReport>> RoundCoreAsync(int roundId, QualityFilter filter, CancellationToken ct)
    {
        if (!IsChecker) return Result<QualityReport>.Fail("Chỉ người thẩm định, Hội đồng thẩm định và quản trị xem danh sách kiểm tra chất lượng số liệu.");
        var used = settings with { ChangeShare = filter.ChangeShare ?? settings.ChangeShare };
        used.Validate();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await db.AssessmentRounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null || !access.CanReadRound(round)) return Result<QualityReport>.Fail("Không tìm thấy đợt đánh giá hoặc bạn không có quyền xem.");
        // The tenancy filter and RLS leave only the assessments in the user's scope.
        var visible = await db.Assessments.AsNoTracking().Where(a => a.RoundId == roundId && a.Status != AssessmentStatus.Draft)
            .Select(a => a.Id).ToListAsync(ct);
        var (flags, cohortSize) = await FlagsAsync(db, round, visible, used, ct);
        var marks = await MarksAsync(db, visible, ct);
        var rows = flags.Select(f => f with
        {
            Mark = marks.GetValueOrDefault(f.AssessmentId)?.FirstOrDefault(m => m.Address == f.FigureKey),
        });
        if (filter.Check is { } check) rows = rows.Where(f => f.Check == check);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var folded = VietnameseText.Fold(filter.Search.Trim());
            rows = rows.Where(f => VietnameseText.Fold(f.UnitName + " " + f.Label + " " + f.FigureKey).Contains(folded, StringComparison.Ordinal));
        }
        if (filter.MarkedOnly) rows = rows.Where(f => f.Mark is not null);
        return Result<QualityReport>.Success(new QualityReport(round.Id, round.Name, round.Year, used, cohortSize, [.. rows]));
    }

    private static async Task<Dictionary<int, IReadOnlyList<FollowUpView>>> MarksAsync(DtiDbContext db, IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        var rows = await db.FollowUpMarks.AsNoTracking().Where(m => ids.Contains(m.AssessmentId)).OrderBy(m => m.Address).ToListAsync(ct);
        return rows.GroupBy(m => m.AssessmentId).ToDictionary(g => g.Key, g => (IReadOnlyList<FollowUpView>)[.. g.Select(FollowUpView.From)]);
    }

    /// <summary>Runs both checks over the round's submitted cohort; returns the flags of <paramref name="visible"/> only.</summary>
    private async Task<(IReadOnlyList<QualityFlagRow> Flags, int CohortSize)> FlagsAsync(DtiDbContext db, AssessmentRound round, IReadOnlyCollection<int> visible,
        QualitySettings used, CancellationToken ct)
    {
        if (visible.Count == 0) return ([], 0);
        await using var scope = scopes.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<DbContextOptions<DtiDbContext>>();
        await using var system = new DtiDbContext(options, FixedUnitScope.System);

        var set = await sets.GetAsync(system, round.CriteriaSetVersionId, ct);
        var cohort = await system.Assessments.AsNoTracking().Where(a => a.RoundId == round.Id && a.Status != AssessmentStatus.Draft)
            .Select(a => new { a.Id, a.UnitId }).ToListAsync(ct);
        var figures = await FiguresAsync(system, set, cohort.Select(c => c.Id).ToList(), ct);
        var unitOf = cohort.ToDictionary(c => c.Id, c => c.UnitId);

        var found = new List<QualityFlag>();
        found.AddRange(OutlierAnalysis.FarFromPeers(figures.ToDictionary(kv => ReviewScoring.Key(kv.Key), kv => kv.Value), used)
            .Where(f => visible.Contains(int.Parse(f.UnitKey, CultureInfo.InvariantCulture))));
        foreach (var id in visible)
        {
            if (!figures.TryGetValue(id, out var current)) continue;
            if (await PreviousAsync(system, round, unitOf[id], ct) is { } previous)
                found.AddRange(OutlierAnalysis.ChangeSincePrevious(ReviewScoring.Key(id), current, previous, used));
        }

        var unitIds = visible.Select(id => unitOf[id]).Distinct().ToList();
        var units = await system.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).Select(u => new { u.Id, u.Kind, u.Name, u.ParentId }).ToDictionaryAsync(u => u.Id, ct);
        var parentIds = units.Values.Select(u => u.ParentId).OfType<int>().Distinct().ToList();
        var parents = await system.Units.AsNoTracking().Where(u => parentIds.Contains(u.Id)).Select(u => new { u.Id, u.Kind, u.Name }).ToDictionaryAsync(u => u.Id, ct);
        var rows = found.Select(f =>
        {
            var id = int.Parse(f.UnitKey, CultureInfo.InvariantCulture);
            var u = units[unitOf[id]];
            var parent = u.ParentId is { } p && parents.TryGetValue(p, out var pu) ? $"{pu.Kind.DisplayName()} {pu.Name}" : null;
            return new QualityFlagRow(id, u.Id, $"{u.Kind.DisplayName()} {u.Name}", parent, f.FigureKey, CriterionOf(set, f.FigureKey), f.Label,
                f.Check, f.Value, f.Reference, f.Measure, f.IsFraction, f.Explanation, null);
        }).OrderBy(r => r.UnitName, StringComparer.Ordinal).ThenBy(r => r.FigureKey, StringComparer.Ordinal).ThenBy(r => r.Check).ToList();
        return (rows, cohort.Count);
    }

    private static string? CriterionOf(EntrySet set, string key) =>
        key.StartsWith(RatioPrefix, StringComparison.Ordinal) ? key[RatioPrefix.Length..] : set.CriterionOf.GetValueOrDefault(key);

    /// <summary>
    /// The figures of each assessment: its numeric inputs and general items (amounts summed over predecessors, percentages
    /// averaged) and the ratio each ratio criterion computes from them (averaged), keyed "ratio:{criterion}".
    /// </summary>
    private async Task<Dictionary<int, IReadOnlyList<Figure>>> FiguresAsync(DtiDbContext system, EntrySet set, IReadOnlyList<int> ids, CancellationToken ct)
    {
        var rows = (await StoredValues.LoadAsync(system, ids, ct)).ToLookup(r => r.AssessmentId);
        var values = ids.ToDictionary(id => id, id => StoredValues.ToUnitValues(ReviewScoring.Key(id), rows[id], set));
        var ratioCriteria = set.Criteria.Where(c => c.Method?.Ratio is { HasDivision: true }).ToList();
        var scored = ratioCriteria.Count > 0 && ids.Count > 0 ? ScoringEngine.Score(set.Set, [.. values.Values]) : null;
        var result = new Dictionary<int, IReadOnlyList<Figure>>();
        foreach (var id in ids)
        {
            var list = new List<Figure>();
            var v = values[id];
            foreach (var (address, spec) in set.Specs)
            {
                if (OutlierAnalysis.KindOf(spec.Type) is not { } kind) continue;
                var general = address.StartsWith(AssessmentValue.GeneralPrefix, StringComparison.Ordinal);
                var raw = general ? v.General?.GetValueOrDefault(address[AssessmentValue.GeneralPrefix.Length..]) : v.Values.GetValueOrDefault(address);
                if (raw is decimal d) list.Add(new Figure(address, LabelOf(set, address, spec.Label), kind, d));
            }
            if (scored is not null)
            {
                var unit = scored.Unit(ReviewScoring.Key(id));
                foreach (var c in ratioCriteria)
                {
                    var node = unit.Node(c.Code);
                    if (node.Ratio is { } r && node.Flags.Count == 0)
                        list.Add(new Figure(RatioPrefix + c.Code, $"Tỷ lệ của tiêu chí {c.Code}", FigureKind.Share, r, IsFraction: true));
                }
            }
            result[id] = list;
        }
        return result;
    }

    private static string LabelOf(EntrySet set, string address, string label) =>
        address.StartsWith(AssessmentValue.GeneralPrefix, StringComparison.Ordinal) ? $"Thông tin chung {address[AssessmentValue.GeneralPrefix.Length..]}: {label}"
        : $"{address}: {label}";

    /// <summary>
    /// The unit's previous round of the same tier (level code), latest year before this round's: its own submitted assessment;
    /// failing that, for a unit formed by merger, its merged predecessors' in the latest earlier year in which all of them
    /// have one (a split-off unit is not compared with the whole it came from).
    /// </summary>
    private async Task<PreviousFigures?> PreviousAsync(DtiDbContext system, AssessmentRound round, int unitId, CancellationToken ct)
    {
        var own = await LatestEarlierAsync(system, round, [unitId], ct);
        if (own.Count > 0)
        {
            var x = own[0];
            return new PreviousFigures(x.RoundName, false, [(await FiguresForAsync(system, x, ct))]);
        }
        var unit = await system.Units.AsNoTracking().SingleAsync(u => u.Id == unitId, ct);
        var merged = unit.Predecessors.Where(p => p.Kind == PredecessorKind.Merged).Select(p => p.PredecessorId).ToList();
        if (merged.Count == 0) return null;
        var earlier = await LatestEarlierAsync(system, round, merged, ct);
        var year = earlier.GroupBy(e => e.Year).Where(g => g.Select(e => e.UnitId).Distinct().Count() == merged.Count).Select(g => (int?)g.Key).Max();
        if (year is null) return null;
        var chosen = earlier.Where(e => e.Year == year).GroupBy(e => e.UnitId).Select(g => g.First()).ToList();
        var figures = new List<IReadOnlyList<Figure>>();
        foreach (var c in chosen) figures.Add(await FiguresForAsync(system, c, ct));
        return new PreviousFigures(string.Join(", ", chosen.Select(c => c.RoundName).Distinct()), true, figures);
    }

    private sealed record Earlier(int AssessmentId, int UnitId, int Year, string RoundName, int VersionId);

    private static async Task<List<Earlier>> LatestEarlierAsync(DtiDbContext system, AssessmentRound round, IReadOnlyCollection<int> unitIds, CancellationToken ct)
    {
        var list = await system.Assessments.AsNoTracking()
            .Where(a => unitIds.Contains(a.UnitId) && a.Status != AssessmentStatus.Draft && a.Round!.LevelCode == round.LevelCode && a.Round.Year < round.Year)
            .Select(a => new Earlier(a.Id, a.UnitId, a.Round!.Year, a.Round.Name, a.Round.CriteriaSetVersionId)).ToListAsync(ct);
        // Per unit its latest year (several rounds in a year: the latest created, by id).
        return [.. list.GroupBy(e => e.UnitId).Select(g => g.OrderByDescending(e => e.Year).ThenByDescending(e => e.AssessmentId).First())
            .OrderByDescending(e => e.Year)];
    }

    private async Task<IReadOnlyList<Figure>> FiguresForAsync(DtiDbContext system, Earlier e, CancellationToken ct)
    {
        var set = await sets.GetAsync(system, e.VersionId, ct);
        return (await FiguresAsync(system, set, [e.AssessmentId], ct))[e.AssessmentId];
    }
}

/// <summary>The list's filters: a check, a search over unit and figure, only the marked ones, and a trial change threshold.</summary>
public sealed record QualityFilter(QualityCheck? Check = null, string? Search = null, bool MarkedOnly = false, decimal? ChangeShare = null);

public sealed record QualityReport(int RoundId, string RoundName, int Year, QualitySettings Settings, int CohortSize, IReadOnlyList<QualityFlagRow> Rows);

public sealed record AssessmentQuality(IReadOnlyList<QualityFlagRow> Flags, IReadOnlyList<FollowUpView> Marks);

/// <summary>One flagged figure as the list and the review page show it.</summary>
public sealed record QualityFlagRow(int AssessmentId, int UnitId, string UnitName, string? ParentName, string FigureKey, string? CriterionCode,
    string Label, QualityCheck Check, decimal Value, decimal Reference, decimal Measure, bool IsFraction, string Explanation, FollowUpView? Mark)
{
    public string CheckName => QualityText.CheckName(Check);
    public string ValueText => QualityText.Show(Value, IsFraction);
    public string ReferenceText => QualityText.Show(Reference, IsFraction);
    public string MeasureText => QualityText.Measure(Check, Measure);
    public string ReferenceName => Check == QualityCheck.ChangeSincePrevious ? "Đợt trước" : "Trung vị cùng đợt";
}

/// <summary>A "cần theo dõi" mark as shown to the reviewer and to the unit.</summary>
public sealed record FollowUpView(long Id, int AssessmentId, string Address, string? CriterionCode, string Note, DateTimeOffset MarkedAt, string MarkedByName,
    string? Answer, DateTimeOffset? AnsweredAt, string? AnsweredByName, bool IsAnswered)
{
    public static FollowUpView From(FollowUpMark m) =>
        new(m.Id, m.AssessmentId, m.Address, m.CriterionCode, m.Note, m.MarkedAt, m.MarkedByName, m.Answer, m.AnsweredAt, m.AnsweredByName, m.IsAnswered);
}

/// <summary>Vietnamese names and numbers of the checks.</summary>
public static class QualityText
{
    public static string CheckName(QualityCheck check) => check switch
    {
        QualityCheck.ChangeSincePrevious => "Thay đổi lớn so với đợt trước",
        QualityCheck.FarFromPeers => "Cách xa các đơn vị cùng đợt",
        _ => check.ToString(),
    };

    public static string Show(decimal value, bool fraction) => fraction ? VnFormat.Percent(value) : VnFormat.Number(value);

    public static string Measure(QualityCheck check, decimal measure) => check == QualityCheck.ChangeSincePrevious
        ? (measure > 0 ? "+" : "") + VnFormat.Percent(measure)
        : "z = " + VnFormat.Number(measure);
}
