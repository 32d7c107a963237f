using System.Globalization;
using System.Text;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Spreadsheets;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Reviews;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Reporting.Reports;

using RankingRow = DtiPortal.Application.Spreadsheets.RankingRow;
using RankingIndex = DtiPortal.Application.Spreadsheets.RankingIndex;

/// <summary>
/// The data of the PDF reports (issue 7, docs/user/bao-cao.md), as the current DI scope's user sees it:
/// <list type="bullet">
/// <item>a unit's assessment report: the columns of the assessment workbook (<see cref="AssessmentWorkbook"/>: STT, chỉ số,
///   điểm tối đa, cách xác định, tài liệu kiểm chứng, điểm tự đánh giá / thẩm định / đạt được, ghi chú), the total, the
///   level and the main indices — scores from <see cref="ReviewQueries"/> (live) or the recognised result once approved;</item>
/// <item>a district or province summary for a round: the ranking of <see cref="ExportRanking.RowsAsync"/> and its aggregates.</item>
/// </list>
/// Nothing is scored here. The background job (<see cref="ReportJobWorker"/>) calls the same methods as the system.
/// </summary>
public sealed class ReportQueries(
    IDbContextFactory<DtiDbContext> dbFactory, AssessmentAccess access, AccessGuard guard, ReviewQueries reviews, ExportRanking ranking,
    UnitHierarchy hierarchy, IAuditLog audit, TimeProvider clock)
{
    public const string UnitAction = "Xuất báo cáo đánh giá (PDF)";
    public const string SummaryAction = "Xuất báo cáo tổng hợp (PDF)";
    public const string ScopeRefused = "Chỉ tạo được báo cáo tổng hợp cho một huyện hoặc một tỉnh trong phạm vi của bạn, thuộc tỉnh của đợt đánh giá.";

    /// <summary>A unit's assessment report (throws <see cref="AccessDeniedException"/> outside the user's scope).</summary>
    public async Task<UnitReportModel> UnitAsync(int assessmentId, bool audited = true, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (a, round, set) = await access.LoadAsync(db, assessmentId, UnitAction, track: false, ct);
        var assignments = await AssessmentAccess.AssignmentsAsync(db, assessmentId, set, ct);
        var permissions = await access.PermissionsAsync(db, a, round, set, assignments, ct);
        var model = await reviews.GetAsync(assessmentId, ct);

        IReadOnlyDictionary<string, ResultRow>? recognised = null;
        if (model.Result is { } result)
        {
            var json = await db.RecognisedResults.AsNoTracking().Where(r => r.AssessmentId == assessmentId && r.Version == result.Version)
                .Select(r => r.ResultJson).SingleOrDefaultAsync(ct);
            if (json is not null) recognised = Recognition.ReadRows(json).ToDictionary(r => r.Code, StringComparer.Ordinal);
        }

        var levels = set.Set.Levels;
        var hasPoints = set.Set.MaxPoints is not null;
        var reviewed = recognised is not null || model.Criteria.Any(c => c.District is not null || c.Council is not null);
        var shown = CriterionRowText.VisibleNodes(set.Set, permissions.Visible);

        var rows = new List<UnitReportRow>();
        foreach (var c in model.Criteria.Where(c => shown.Contains(c.Code)))
        {
            var node = set.Set.Find(c.Code)!;
            var rr = recognised?.GetValueOrDefault(c.Code);
            var scored = hasPoints && (c.IsGroup || node.Method is not null);
            rows.Add(new UnitReportRow(c.Code, c.Name, c.Depth, c.IsGroup,
                scored ? c.Max : null,
                c.IsGroup ? null : MethodDescriber.Describe(node),
                c.IsGroup ? null : CriterionRowText.Evidence(node.Details, c.Evidence.Count, ". "),
                scored ? rr?.SelfPoints ?? c.SelfPoints : null,
                scored && reviewed ? rr?.AppraisedPoints ?? c.AppraisedPoints : null,
                scored && reviewed ? rr?.AchievedPoints ?? c.AchievedPoints : null,
                levels.Count > 0 ? SpreadsheetText.Level(rr is null ? c.SelfLevelMet : rr.SelfLevelMet, levels) : null,
                levels.Count > 0 && reviewed ? SpreadsheetText.Level(rr is null ? c.AchievedLevelMet : rr.AchievedLevelMet, levels) : null,
                CriterionRowText.Notes(c, rr, model.Status, "; ")));
        }

        var res = model.Result;
        decimal selfTotal = res?.SelfTotal ?? model.SelfTotal;
        decimal? appraisedTotal = reviewed ? res?.AppraisedTotal ?? model.AppraisedTotal : null;
        decimal? achievedTotal = reviewed ? res?.Total ?? model.AchievedTotal : null;
        var indexNodes = MainIndices(set.Set);
        var byCode = model.Criteria.ToDictionary(c => c.Code, StringComparer.Ordinal);
        var indices = indexNodes.Where(n => shown.Contains(n.Code)).Select(n =>
        {
            var c = byCode[n.Code];
            var rr = recognised?.GetValueOrDefault(n.Code);
            var points = reviewed ? rr?.AchievedPoints ?? c.AchievedPoints : rr?.SelfPoints ?? c.SelfPoints;
            return new ReportIndex(n.Code, n.Name, n.Max, points);
        }).ToList();

        var now = clock.GetUtcNow();
        var province = model.Round.ProvinceName;
        var unitName = model.UnitName;
        var recognition = res is null ? null
            : $"Quyết định công nhận số {res.DocumentNumber} ngày {res.ApprovedAt.ToOffset(SpreadsheetText.Vietnam):dd/MM/yyyy}";
        var decision = set.Set.Decision is { } d && !string.IsNullOrWhiteSpace(d.Number)
            ? $"{d.Number}{(d.Date is { } date ? $" ngày {date:dd/MM/yyyy}" : "")} của {d.Issuer}" : null;
        var report = new UnitReportModel(
            a.Id, a.UnitId, unitName, model.ParentName, $"Tỉnh {province}",
            new ReportHeader("Ủy ban nhân dân " + RunningText(unitName), "\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0/BC-UBND", province, now),
            model.Round.Name, model.Round.Year, set.Set.Name, set.Set.Version, decision,
            SpreadsheetText.StatusName(model.Status), reviewed, res is not null, recognition,
            hasPoints, levels.Count > 0,
            model.MaxTotal, selfTotal, appraisedTotal, achievedTotal,
            levels.Count > 0 ? SpreadsheetText.Level(res?.SelfLevel ?? model.SelfLevel ?? 0, levels) : null,
            levels.Count > 0 && reviewed ? SpreadsheetText.Level(res?.Level ?? model.AchievedLevel ?? 0, levels) : null,
            indices, rows);

        if (audited)
            await audit.WriteAsync(new AuditEvent("ReportExport", nameof(Assessment), assessmentId.ToString(CultureInfo.InvariantCulture), a.UnitId,
                Detail: $"{UnitAction}: {unitName}, {model.Round.Name}"), ct);
        return report;
    }

    /// <summary>The summary of a round for a district or province in the user's scope (throws <see cref="AccessDeniedException"/>).</summary>
    public async Task<SummaryReportModel> SummaryAsync(int roundId, int scopeUnitId, bool audited = true, CancellationToken ct = default)
    {
        await DemandScopeAsync(roundId, scopeUnitId, SummaryAction, ct);
        var table = await ranking.RowsAsync(roundId, scopeUnitId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await db.Units.AsNoTracking().SingleAsync(u => u.Id == scopeUnitId, ct);
        var scopeName = $"{scope.Kind.DisplayName()} {scope.Name}";
        // The ranking names units without their kind ("Lạc Đạo"); a document writes "Xã Lạc Đạo", "Huyện Văn Lâm".
        var ids = table.Rows.Select(r => r.UnitId).Concat(table.Rows.Select(r => hierarchy.ParentOf(r.UnitId)).OfType<int>()).Distinct().ToList();
        var full = await db.Units.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Kind.DisplayName() + " " + u.Name, ct);
        table = table with
        {
            Rows = [.. table.Rows.Select(r => r with
            {
                UnitName = full.GetValueOrDefault(r.UnitId, r.UnitName),
                ParentName = hierarchy.ParentOf(r.UnitId) is { } p && full.TryGetValue(p, out var pn) ? pn : r.ParentName,
            })],
        };
        IReadOnlyList<int> levels = table.Levels.Count > 0 ? [0, .. table.Levels.Select(l => l.Level)] : [];

        SummaryGroup Group(string name, IReadOnlyCollection<RankingRow> units) => new(name, units.Count,
            units.Count(u => u.Status is AssessmentStatus.Draft or AssessmentStatus.Returned),
            units.Count(u => u.Status is not (AssessmentStatus.Draft or AssessmentStatus.Returned or AssessmentStatus.Approved or AssessmentStatus.Published)),
            units.Count(u => u.Recognised),
            units.Count == 0 ? null : decimal.Round(units.Average(u => u.Score), 2),
            units.Count == 0 ? null : units.Max(u => u.Score),
            units.Count == 0 ? null : units.Min(u => u.Score),
            [.. levels.Select(l => units.Count(u => (u.Level ?? 0) == l))]);

        var groups = table.Rows.GroupBy(r => r.ParentName ?? "")
            .OrderBy(g => Domain.VietnameseText.Fold(g.Key), StringComparer.Ordinal)
            .Select(g => Group(g.Key.Length == 0 ? "(không có đơn vị cấp trên)" : g.Key, [.. g])).ToList();
        var averages = table.Indices.Select((_, i) => table.Rows.Count == 0 ? 0m : decimal.Round(table.Rows.Average(r => r.IndexPoints[i]), 2)).ToList();
        var now = clock.GetUtcNow();
        var model = new SummaryReportModel(scopeUnitId, scopeName,
            new ReportHeader("Ủy ban nhân dân " + RunningText(scopeName), "\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0/BC-UBND", table.Round.ProvinceName, now),
            table.Round, table.HasPoints, table.Levels, table.Indices, table.Rows, groups, Group("Tổng cộng", [.. table.Rows]), averages);
        if (audited)
            await audit.WriteAsync(new AuditEvent("ReportExport", nameof(AssessmentRound), roundId.ToString(CultureInfo.InvariantCulture), scopeUnitId,
                Detail: $"{SummaryAction}: {table.Round.Name}, {scopeName} ({table.Rows.Count} đơn vị)"), ct);
        return model;
    }

    /// <summary>
    /// The user may ask for reports of <paramref name="scopeUnitId"/> in the round: the round is readable, the unit is a
    /// district or province (not a commune) in the user's scope and under the round's province. Refusals are audited.
    /// </summary>
    public async Task<RoundSummary> DemandScopeAsync(int roundId, int scopeUnitId, string action, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await db.AssessmentRounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null || !access.CanReadRound(round))
        {
            await audit.RefusedAsync(action, ExportRanking.RoundNotFoundMessage, scopeUnitId, nameof(AssessmentRound), roundId.ToString(CultureInfo.InvariantCulture), ct);
            throw new AccessDeniedException(ExportRanking.RoundNotFoundMessage);
        }
        await guard.DemandAsync(action, scopeUnitId, [], ct);
        var unit = await db.Units.AsNoTracking().Where(u => u.Id == scopeUnitId).Select(u => new { u.LevelCode }).SingleOrDefaultAsync(ct);
        if (unit is null || unit.LevelCode == UnitLevel.Commune || !hierarchy.Subtree(round.ProvinceUnitId).Contains(scopeUnitId))
        {
            await audit.RefusedAsync(action, ScopeRefused, scopeUnitId, "AdministrativeUnit", scopeUnitId.ToString(CultureInfo.InvariantCulture), ct);
            throw new AccessDeniedException(ScopeRefused);
        }
        return (await RoundAdmin.SummariesAsync(db, db.AssessmentRounds.AsNoTracking().Where(r => r.Id == roundId), ct)).Single();
    }

    /// <summary>The districts and the province of the round the user may ask reports for (the widest first).</summary>
    public async Task<IReadOnlyList<ReportScopeOption>> ScopesAsync(int roundId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await db.AssessmentRounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null || !access.CanReadRound(round)) return [];
        var province = hierarchy.Subtree(round.ProvinceUnitId);
        var scope = access.Scope;
        var units = await db.Units.AsNoTracking().Where(u => u.LevelCode != UnitLevel.Commune && province.Contains(u.Id))
            .Select(u => new { u.Id, u.Name, u.Kind, u.LevelCode }).ToListAsync(ct);
        return [.. units.Where(u => scope.CanSee(u.Id))
            .OrderBy(u => u.LevelCode == UnitLevel.Province ? 0 : 1).ThenBy(u => Domain.VietnameseText.Fold(u.Name), StringComparer.Ordinal)
            .Select(u => new ReportScopeOption(u.Id, $"{u.Kind.DisplayName()} {u.Name}", u.LevelCode == UnitLevel.Province ? 0 : 1))];
    }

    /// <summary>
    /// The assessments of the round whose units lie under <paramref name="scopeUnitId"/> (its communes; for a province also
    /// its districts' own assessments when the round has any), in the order of the archive: by parent, then by name.
    /// </summary>
    public async Task<IReadOnlyList<(int AssessmentId, string UnitName, string? ParentName)>> AssessmentsUnderAsync(int roundId, int scopeUnitId, CancellationToken ct)
    {
        var under = hierarchy.Subtree(scopeUnitId);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await (from a in db.Assessments.AsNoTracking()
                          join u in db.Units.AsNoTracking() on a.UnitId equals u.Id
                          where a.RoundId == roundId
                          select new { a.Id, a.UnitId, u.Name, u.Kind, u.ParentId }).ToListAsync(ct);
        rows = [.. rows.Where(r => under.Contains(r.UnitId))];
        var parentIds = rows.Select(r => r.ParentId).OfType<int>().Distinct().ToList();
        var parents = await db.Units.AsNoTracking().Where(u => parentIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.Kind.DisplayName() + " " + u.Name, ct);
        return [.. rows.Select(r => (r.Id, $"{r.Kind.DisplayName()} {r.Name}", r.ParentId is { } p ? parents.GetValueOrDefault(p) : null))
            .OrderBy(r => Domain.VietnameseText.Fold(r.Item3 ?? ""), StringComparer.Ordinal)
            .ThenBy(r => Domain.VietnameseText.Fold(r.Item2), StringComparer.Ordinal)];
    }

    /// <summary>The workflow state's Vietnamese name, for the templates.</summary>
    public static string StatusName(AssessmentStatus status) => SpreadsheetText.StatusName(status);

    /// <summary>"Mức 3 – Cơ bản", "Chưa đạt mức 1", or null, for the templates.</summary>
    public static string? LevelName(int? level, IReadOnlyList<MaturityLevel> levels) => SpreadsheetText.Level(level, levels);

    /// <summary>The main indices (chỉ số chính): the Index nodes, or the top of the tree when the set has none.</summary>
    public static IReadOnlyList<CriterionNode> MainIndices(CriteriaSet set)
    {
        var indices = set.AllNodes.Where(n => n.Kind == NodeKind.Index).ToList();
        return indices.Count > 0 ? indices : [.. set.Tree];
    }

    /// <summary>"Xã Lạc Đạo" → "xã Lạc Đạo" inside a sentence (Decree 30, Phụ lục II); names with a number stay as they are.</summary>
    public static string RunningText(string name)
    {
        foreach (var kind in new[] { "Thành phố", "Thị trấn", "Thị xã", "Tỉnh", "Huyện", "Quận", "Phường", "Xã", "Đặc khu" })
        {
            if (!name.StartsWith(kind + " ", StringComparison.Ordinal)) continue;
            var rest = name[(kind.Length + 1)..];
            if (rest.Length == 0 || char.IsDigit(rest[0]) || name.StartsWith("Thành phố Hồ Chí Minh", StringComparison.Ordinal)) return name;
            return char.ToLower(kind[0], CultureInfo.InvariantCulture) + kind[1..] + " " + rest;
        }
        return name;
    }

    /// <summary>"Xã Lạc Đạo", 2024 → "Xa-Lac-Dao_2024.pdf": ASCII letters and digits only, so every unzip tool shows it the same.</summary>
    public static string PdfName(string name, int year) => $"{AsciiSlug(name)}_{year.ToString(CultureInfo.InvariantCulture)}.pdf";

    public static string AsciiSlug(string text)
    {
        var decomposed = text.Replace('đ', 'd').Replace('Đ', 'D').Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            if (ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9') sb.Append(ch);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        var slug = sb.ToString().Trim('-');
        if (slug.Length > 80) slug = slug[..80].TrimEnd('-');
        return slug.Length == 0 ? "don-vi" : slug;
    }
}
