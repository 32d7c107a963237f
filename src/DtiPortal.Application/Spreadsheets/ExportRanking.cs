using DtiPortal.Application.Assessments;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.Domain;
using DtiPortal.Domain.Criteria;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Spreadsheets;

/// <summary>
/// A round's ranking and aggregates for the units in the caller's scope (issue 7), optionally only under one district or
/// province (<c>parentUnitId</c>), as a workbook: sheet "Xếp hạng" (rank, unit, parent, status, self-assessed and achieved
/// totals, level, points per main index) and sheet "Tổng hợp" (per parent unit: how many units, how far in the workflow,
/// average, highest and lowest score, units per level). Computed from stored data: an approved or published assessment
/// is ranked on its recognised result (<see cref="Assessment.RecognisedTotal"/>, <see cref="Assessment.RecognisedLevel"/>
/// and the per-criterion rows of its <see cref="RecognisedResult"/>); any other on its live self-assessed score, scored
/// for the whole round in one pass (<see cref="ReviewScoring"/>, peer-relative criteria against the round's cohort).
/// </summary>
public sealed class ExportRanking(
    IDbContextFactory<DtiDbContext> dbFactory, AssessmentAccess access, AccessGuard guard, RoundSetCache sets, ReviewScoring scoring,
    UnitHierarchy hierarchy, IAuditLog audit, TimeProvider clock)
{
    public const string Action = "Xuất bảng xếp hạng";
    public const string SheetName = "Xếp hạng";
    public const string SummarySheetName = "Tổng hợp";
    public const int HeaderRow = 7;
    public const string RoundNotFoundMessage = "Không tìm thấy đợt đánh giá này, hoặc đợt đánh giá nằm ngoài phạm vi của bạn.";

    /// <summary>The ranking as data (also for pages): the round's assessments in scope, best first; ties share a rank.</summary>
    public async Task<RankingTable> RowsAsync(int roundId, int? parentUnitId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await db.AssessmentRounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null || !access.CanReadRound(round))
        {
            await audit.RefusedAsync(Action, RoundNotFoundMessage, entityType: nameof(AssessmentRound), entityId: roundId.ToString(), ct: ct);
            throw new AccessDeniedException(RoundNotFoundMessage);
        }
        // A district or province asked for by id must be in the caller's scope (a commune officer may not rank its district).
        await guard.DemandAsync(Action, parentUnitId, [], ct);
        var summary = (await RoundAdmin.SummariesAsync(db, db.AssessmentRounds.AsNoTracking().Where(r => r.Id == roundId), ct)).Single();
        var set = await sets.GetAsync(db, round.CriteriaSetVersionId, ct);
        var scopeName = parentUnitId is { } pid
            ? await db.Units.AsNoTracking().Where(u => u.Id == pid).Select(u => u.Name).SingleOrDefaultAsync(ct) ?? ""
            : summary.ProvinceName;

        // The round's assessments the tenancy filter lets the caller see, under the asked unit.
        var rows = await (from a in db.Assessments.AsNoTracking()
                          join u in db.Units.AsNoTracking() on a.UnitId equals u.Id
                          where a.RoundId == roundId
                          select new { a.Id, a.UnitId, u.Name, u.ParentId, a.Status, a.RecognisedTotal, a.RecognisedLevel, a.LateDays }).ToListAsync(ct);
        if (parentUnitId is { } parent)
        {
            var under = hierarchy.Subtree(parent);
            rows = rows.Where(r => under.Contains(r.UnitId)).ToList();
        }
        var parentIds = rows.Select(r => r.ParentId).OfType<int>().Distinct().ToList();
        var parents = await db.Units.AsNoTracking().Where(u => parentIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);

        var indices = set.Set.AllNodes.Where(n => n.Kind == NodeKind.Index).ToList();
        if (indices.Count == 0) indices = [.. set.Set.Tree];
        var hasPoints = set.Set.MaxPoints is not null;

        // Recognised: the latest result of each approved or published assessment.
        var recognisedIds = rows.Where(r => r.Status is AssessmentStatus.Approved or AssessmentStatus.Published).Select(r => r.Id).ToList();
        var results = (await db.RecognisedResults.AsNoTracking().Where(x => recognisedIds.Contains(x.AssessmentId))
                .Select(x => new { x.AssessmentId, x.Version, x.SelfTotal, x.Total, x.Level, x.ResultJson }).ToListAsync(ct))
            .GroupBy(x => x.AssessmentId).ToDictionary(g => g.Key, g => g.MaxBy(x => x.Version)!);
        // Live: everything else, scored together once.
        var liveIds = rows.Where(r => !results.ContainsKey(r.Id)).Select(r => r.Id).ToList();
        Domain.Scoring.CohortResult? live = null;
        if (liveIds.Count > 0)
        {
            var cohort = await scoring.LoadAsync(round.Id, liveIds, set, ct);
            live = ReviewScoring.Score(set, cohort, ReviewScoring.Stage.Self, round.HasDistrictTier);
        }

        var unranked = new List<RankingRow>(rows.Count);
        foreach (var r in rows)
        {
            var parentName = r.ParentId is { } p ? parents.GetValueOrDefault(p) : null;
            if (results.TryGetValue(r.Id, out var res))
            {
                var byCode = Recognition.ReadRows(res.ResultJson).ToDictionary(x => x.Code, StringComparer.Ordinal);
                // The recognised result, as every other page shows it (DisplayedScore).
                var shown = DisplayedScore.Choose(r.Status, r.RecognisedTotal ?? res.Total, r.RecognisedTotal is not null ? r.RecognisedLevel : res.Level, null, usesPoints: true);
                unranked.Add(new RankingRow(0, r.Id, r.UnitId, r.Name, parentName, r.Status, true, res.SelfTotal, shown.Total,
                    shown.Level, [.. indices.Select(i => byCode.GetValueOrDefault(i.Code)?.AchievedPoints ?? 0m)], r.LateDays));
            }
            else
            {
                var unit = live!.Unit(ReviewScoring.Key(r.Id));
                var shown = DisplayedScore.Choose(r.Status, r.RecognisedTotal, r.RecognisedLevel, unit, usesPoints: true);
                unranked.Add(new RankingRow(0, r.Id, r.UnitId, r.Name, parentName, r.Status, shown.Recognised, unit.Total, shown.Recognised ? shown.Total : null, shown.Level,
                    [.. indices.Select(i => unit.Node(i.Code).Points)], r.LateDays));
            }
        }

        // Points first (levels break ties); a levels-only set ranks on the level. Equal keys share a rank (1, 2, 2, 4).
        var ordered = unranked
            .OrderByDescending(x => hasPoints ? x.Score : x.Level ?? -1)
            .ThenByDescending(x => x.Level ?? -1)
            .ThenBy(x => VietnameseText.Fold(x.UnitName), StringComparer.Ordinal)
            .ToList();
        var ranked = new List<RankingRow>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var x = ordered[i];
            var same = i > 0 && (hasPoints ? ordered[i - 1].Score == x.Score : true) && ordered[i - 1].Level == x.Level;
            ranked.Add(x with { Rank = same ? ranked[i - 1].Rank : i + 1 });
        }
        return new RankingTable(summary, parentUnitId, scopeName, hasPoints, set.Set.Levels,
            [.. indices.Select(i => new RankingIndex(i.Code, i.Name, i.Max))], ranked);
    }

    /// <summary>The ranking workbook (sheets "Xếp hạng" and "Tổng hợp").</summary>
    public async Task<SpreadsheetFile> HandleAsync(int roundId, int? parentUnitId = null, CancellationToken ct = default)
    {
        var table = await RowsAsync(roundId, parentUnitId, ct);
        var now = clock.GetUtcNow();
        var book = new XlsxWriter { Title = $"Xếp hạng - {table.Round.Name} - {table.ScopeName}" };
        WriteRanking(book.Add(SheetName), table, now);
        WriteSummary(book.Add(SummarySheetName), table);
        await audit.WriteAsync(new AuditEvent("SpreadsheetExport", nameof(AssessmentRound), roundId.ToString(), parentUnitId,
            Detail: $"{Action}: {table.Round.Name}, {table.ScopeName} ({table.Rows.Count} đơn vị)"), ct);
        return new SpreadsheetFile(SpreadsheetText.FileName($"Xếp hạng - {table.Round.Name} - {table.ScopeName}"), book.ToBytes());
    }

    /// <summary>The ranking sheet's header: Xếp hạng, Đơn vị, … then one column per main index.</summary>
    public static IReadOnlyList<string> Header(RankingTable table)
    {
        var header = new List<string> { "Xếp hạng", "Đơn vị", "Đơn vị cấp trên", "Trạng thái" };
        if (table.HasPoints) header.AddRange(["Điểm tự đánh giá", "Điểm đạt được"]);
        if (table.Levels.Count > 0) header.Add("Mức");
        if (table.HasPoints) header.AddRange(table.Indices.Select(i => $"{i.Code}. {i.Name} ({Recognition.Number(i.Max)})"));
        return header;
    }

    private static void WriteRanking(XSheet sheet, RankingTable table, DateTimeOffset now)
    {
        var header = Header(table);
        sheet.Text(1, 1, "BẢNG XẾP HẠNG CHỈ SỐ CHUYỂN ĐỔI SỐ", SpreadsheetText.Title);
        sheet.Merges.Add($"A1:{XlsxWriter.ColumnName(Math.Max(header.Count, 4))}1");
        sheet.Text(2, 1, $"Đợt đánh giá: {table.Round.Name} — năm {table.Round.Year} — bộ chỉ số {table.Round.SetName} (phiên bản {table.Round.SetVersion})", SpreadsheetText.Info);
        sheet.Text(3, 1, $"Phạm vi: {table.ScopeName} ({table.Rows.Count} đơn vị trong phạm vi của người xuất)", SpreadsheetText.Info);
        sheet.Text(4, 1, "Ngày xuất: " + SpreadsheetText.VietnamTime(now), SpreadsheetText.Info);
        sheet.Text(5, 1, "Bản đã phê duyệt hoặc đã công bố: điểm và mức đạt được theo kết quả công nhận. Bản khác: xếp theo điểm tự đánh giá hiện tại (chưa thẩm định).",
            SpreadsheetText.Note);
        for (var c = 0; c < header.Count; c++) sheet.Text(HeaderRow, c + 1, header[c], SpreadsheetText.Header);
        sheet.FreezeBelowRow = HeaderRow;
        sheet.Landscape = true;
        sheet.Widths[1] = 9;
        sheet.Widths[2] = 30;
        sheet.Widths[3] = 26;
        sheet.Widths[4] = 24;
        for (var c = 5; c <= header.Count; c++) sheet.Widths[c] = 14;

        var row = HeaderRow;
        foreach (var r in table.Rows)
        {
            row++;
            var col = 1;
            sheet.Number(row, col++, r.Rank, SpreadsheetText.Number);
            sheet.Text(row, col++, r.UnitName, SpreadsheetText.Text);
            sheet.Text(row, col++, r.ParentName, SpreadsheetText.Text);
            // The "nộp muộn" mark travels with the status (issue 15), so the column layout stays as it was.
            sheet.Text(row, col++, SpreadsheetText.StatusName(r.Status) + (r.LateDays is { } late ? $" — {Domain.Assessments.DeadlinePolicy.LateLabel(late)}" : ""),
                SpreadsheetText.Text);
            if (table.HasPoints)
            {
                sheet.Number(row, col++, r.SelfTotal, SpreadsheetText.Number);
                sheet.Number(row, col++, r.AchievedTotal, SpreadsheetText.Number);
            }
            if (table.Levels.Count > 0) sheet.Text(row, col++, SpreadsheetText.Level(r.Level, table.Levels), SpreadsheetText.Text);
            if (table.HasPoints)
                foreach (var p in r.IndexPoints) sheet.Number(row, col++, p, SpreadsheetText.Number);
        }
    }

    private static void WriteSummary(XSheet sheet, RankingTable table)
    {
        var header = new List<string> { "Đơn vị cấp trên", "Số đơn vị", "Đang nhập số liệu", "Đã nộp, đang thẩm định", "Đã phê duyệt hoặc công bố" };
        if (table.HasPoints) header.AddRange(["Điểm bình quân", "Điểm cao nhất", "Điểm thấp nhất"]);
        IReadOnlyList<int> levels = table.Levels.Count > 0 ? [0, .. table.Levels.Select(l => l.Level)] : [];
        header.AddRange(levels.Select(l => l == 0 ? "Chưa đạt mức 1" : $"Mức {l}"));

        sheet.Text(1, 1, $"TỔNG HỢP THEO ĐƠN VỊ CẤP TRÊN — {table.Round.Name} — {table.ScopeName}", SpreadsheetText.Title);
        sheet.Text(2, 1, "Điểm: điểm đạt được của bản đã phê duyệt hoặc công bố, điểm tự đánh giá hiện tại của bản khác.", SpreadsheetText.Note);
        const int headerRow = 4;
        for (var c = 0; c < header.Count; c++) sheet.Text(headerRow, c + 1, header[c], SpreadsheetText.Header);
        sheet.FreezeBelowRow = headerRow;
        sheet.Widths[1] = 30;
        for (var c = 2; c <= header.Count; c++) sheet.Widths[c] = 14;

        var row = headerRow;
        void Write(string name, IReadOnlyCollection<RankingRow> units, bool total)
        {
            row++;
            var text = total ? SpreadsheetText.GroupText : SpreadsheetText.Text;
            var number = total ? SpreadsheetText.GroupNumber : SpreadsheetText.Number;
            var col = 1;
            sheet.Text(row, col++, name, text);
            sheet.Number(row, col++, units.Count, number);
            sheet.Number(row, col++, units.Count(u => u.Status is AssessmentStatus.Draft), number);
            sheet.Number(row, col++, units.Count(u => u.Status is not (AssessmentStatus.Draft or AssessmentStatus.Approved or AssessmentStatus.Published)), number);
            sheet.Number(row, col++, units.Count(u => u.Recognised), number);
            if (table.HasPoints)
            {
                sheet.Number(row, col++, units.Count == 0 ? null : decimal.Round(units.Average(u => u.Score), 2), number);
                sheet.Number(row, col++, units.Count == 0 ? null : units.Max(u => u.Score), number);
                sheet.Number(row, col++, units.Count == 0 ? null : units.Min(u => u.Score), number);
            }
            foreach (var l in levels) sheet.Number(row, col++, units.Count(u => u.Level == l), number);
        }
        foreach (var g in table.Rows.GroupBy(r => r.ParentName ?? "").OrderBy(g => VietnameseText.Fold(g.Key), StringComparer.Ordinal))
            Write(g.Key.Length == 0 ? "(không có)" : g.Key, [.. g], total: false);
        Write("Tổng cộng", [.. table.Rows], total: true);
    }
}
