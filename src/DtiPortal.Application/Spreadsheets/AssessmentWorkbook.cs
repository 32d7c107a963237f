using DtiPortal.Application.Assessments;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Application.Reviews;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Reviews;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Spreadsheets;

/// <summary>
/// One unit's assessment as the workbook officers know from the seeds (seed 004's columns): sheet "Đánh giá" with a title
/// block and one row per main index, component and criterion — STT, chỉ số, điểm tối đa, cách xác định, tài liệu kiểm
/// chứng, điểm tự đánh giá, điểm thẩm định, điểm đạt được (plus the levels for a set with levels), ghi chú — and totals;
/// sheet "Số liệu" with every figure entered. Scores come from the review module (<see cref="ReviewQueries"/>: live, or the
/// recognised result once approved); nothing is scored here. Appraised and achieved points stay empty until a reviewer
/// has appraised something. A department officer gets only the criteria assigned to its department, as on the entry page.
/// </summary>
public sealed class AssessmentWorkbook(IDbContextFactory<DtiDbContext> dbFactory, AssessmentAccess access, ReviewQueries reviews, IAuditLog audit, TimeProvider clock)
{
    public const string Action = "Xuất bảng tính đánh giá";
    public const string SheetName = "Đánh giá";
    public const string DataSheetName = "Số liệu";
    /// <summary>The row of the table's header on sheet "Đánh giá" (rows above: the title block).</summary>
    public const int HeaderRow = 8;
    public const int DataHeaderRow = 3;

    public static readonly IReadOnlyList<string> Header =
        ["STT", "Chỉ số", "Điểm tối đa", "Cách xác định", "Tài liệu kiểm chứng", "Điểm tự đánh giá", "Điểm thẩm định", "Điểm đạt được", "Ghi chú"];
    public static readonly IReadOnlyList<string> LevelHeader = ["Mức tự đánh giá", "Mức đạt được"];
    public static readonly IReadOnlyList<string> DataHeader = ["Mã ô", "Tiêu chí", "Nội dung", "Đơn vị tính", "Giá trị", "Ghi chú"];

    public async Task<SpreadsheetFile> BuildAsync(int assessmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (a, round, set) = await access.LoadAsync(db, assessmentId, Action, track: false, ct);
        var assignments = await AssessmentAccess.AssignmentsAsync(db, assessmentId, set, ct);
        var permissions = await access.PermissionsAsync(db, a, round, set, assignments, ct);
        var model = await reviews.GetAsync(assessmentId, ct);
        var stored = (await StoredValues.LoadAsync(db, [assessmentId], ct)).ToDictionary(r => r.Address, StringComparer.Ordinal);

        // After approval the recognised result (per-criterion rows, frozen cohort) is the official one.
        IReadOnlyDictionary<string, ResultRow>? recognised = null;
        if (model.Result is { } result)
        {
            var json = await db.RecognisedResults.AsNoTracking().Where(r => r.AssessmentId == assessmentId && r.Version == result.Version)
                .Select(r => r.ResultJson).SingleOrDefaultAsync(ct);
            if (json is not null) recognised = Recognition.ReadRows(json).ToDictionary(r => r.Code, StringComparer.Ordinal);
        }

        var now = clock.GetUtcNow();
        var book = new XlsxWriter { Title = $"Đánh giá chuyển đổi số - {model.UnitName} - {round.Year}" };
        WriteAssessmentSheet(book.Add(SheetName), model, set, permissions.Visible, recognised, now);
        WriteDataSheet(book.Add(DataSheetName), model, set, permissions.Visible, stored);

        await audit.WriteAsync(new AuditEvent("SpreadsheetExport", nameof(Assessment), assessmentId.ToString(), a.UnitId,
            Detail: $"{Action}: {model.UnitName}, {round.Name}"), ct);
        return new SpreadsheetFile(SpreadsheetText.FileName($"Đánh giá - {model.UnitName} - {round.Year}"), book.ToBytes());
    }

    private static void WriteAssessmentSheet(XSheet sheet, ReviewModel model, EntrySet set, IReadOnlySet<string> visible,
        IReadOnlyDictionary<string, ResultRow>? recognised, DateTimeOffset now)
    {
        var levels = set.Set.Levels;
        var hasLevels = levels.Count > 0;
        var hasPoints = set.Set.MaxPoints is not null;
        List<string> header = hasLevels ? [.. Header.Take(8), .. LevelHeader, Header[8]] : [.. Header];
        var last = header.Count;
        var noteCol = last;
        var reviewed = recognised is not null || model.Criteria.Any(c => c.District is not null || c.Council is not null);

        sheet.Text(1, 1, "KẾT QUẢ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ", SpreadsheetText.Title);
        sheet.Merges.Add($"A1:{XlsxWriter.ColumnName(last)}1");
        sheet.Text(2, 1, "Đơn vị: " + model.UnitName + (model.ParentName is { } p ? $" ({p})" : ""), SpreadsheetText.Info);
        sheet.Text(3, 1, $"Đợt đánh giá: {model.Round.Name} — năm {model.Round.Year}", SpreadsheetText.Info);
        sheet.Text(4, 1, $"Bộ chỉ số: {set.Set.Name} (phiên bản {set.Set.Version}; {set.Set.Decision.Number})", SpreadsheetText.Info);
        var status = "Trạng thái: " + SpreadsheetText.StatusName(model.Status);
        if (model.LateDays is { } late) status += " — " + Domain.Assessments.DeadlinePolicy.LateLabel(late);
        if (model.Result is { } r) status += $"; quyết định công nhận số {r.DocumentNumber} ngày {r.ApprovedAt.ToOffset(SpreadsheetText.Vietnam):dd/MM/yyyy}";
        sheet.Text(5, 1, status, SpreadsheetText.Info);
        sheet.Text(6, 1, "Ngày xuất: " + SpreadsheetText.VietnamTime(now), SpreadsheetText.Info);
        if (!reviewed) sheet.Text(7, 1, "Chưa thẩm định: cột Điểm thẩm định và Điểm đạt được để trống.", SpreadsheetText.Note);
        for (var c = 0; c < header.Count; c++) sheet.Text(HeaderRow, c + 1, header[c], SpreadsheetText.Header);
        sheet.FreezeBelowRow = HeaderRow;
        sheet.Landscape = true;
        double[] widths = hasLevels ? [8, 42, 10, 48, 30, 11, 11, 11, 14, 14, 36] : [8, 42, 10, 48, 30, 11, 11, 11, 36];
        for (var c = 0; c < widths.Length; c++) sheet.Widths[c + 1] = widths[c];

        var shown = CriterionRowText.VisibleNodes(set.Set, visible);
        var row = HeaderRow;
        foreach (var c in model.Criteria.Where(c => shown.Contains(c.Code)))
        {
            row++;
            var node = set.Set.Find(c.Code)!;
            var rr = recognised?.GetValueOrDefault(c.Code);
            var text = c.IsGroup ? SpreadsheetText.GroupText : SpreadsheetText.Text with { Indent = (uint)Math.Min(c.Depth, 6) };
            var number = c.IsGroup ? SpreadsheetText.GroupNumber : SpreadsheetText.Number;
            var plain = c.IsGroup ? SpreadsheetText.GroupText : SpreadsheetText.Text;
            sheet.Text(row, 1, c.Code, plain with { Wrap = false });
            sheet.Text(row, 2, c.Name, text);
            var scored = hasPoints && (c.IsGroup || node.Method is not null);
            sheet.Number(row, 3, scored ? c.Max : null, number);
            sheet.Text(row, 4, MethodDescriber.Describe(node), plain);
            sheet.Text(row, 5, c.IsGroup ? null : CriterionRowText.Evidence(node.Details, c.Evidence.Count, "\n"), plain);
            sheet.Number(row, 6, scored ? rr?.SelfPoints ?? c.SelfPoints : null, number);
            sheet.Number(row, 7, scored && reviewed ? rr?.AppraisedPoints ?? c.AppraisedPoints : null, number);
            sheet.Number(row, 8, scored && reviewed ? rr?.AchievedPoints ?? c.AchievedPoints : null, number);
            if (hasLevels)
            {
                sheet.Text(row, 9, SpreadsheetText.Level(rr is null ? c.SelfLevelMet : rr.SelfLevelMet, levels), plain);
                sheet.Text(row, 10, reviewed ? SpreadsheetText.Level(rr is null ? c.AchievedLevelMet : rr.AchievedLevelMet, levels) : null, plain);
            }
            sheet.Text(row, noteCol, CriterionRowText.Notes(c, rr, model.Status, "\n"), plain);
            sheet.StyleRow(row, 1, last, plain);
        }

        // Totals: the recognised ones after approval, else the live ones.
        row++;
        var total = SpreadsheetText.GroupText;
        sheet.Text(row, 2, "Tổng cộng", total);
        if (hasPoints)
        {
            var res = model.Result;
            sheet.Number(row, 3, model.MaxTotal, SpreadsheetText.GroupNumber);
            sheet.Number(row, 6, res?.SelfTotal ?? model.SelfTotal, SpreadsheetText.GroupNumber);
            sheet.Number(row, 7, reviewed ? res?.AppraisedTotal ?? model.AppraisedTotal : null, SpreadsheetText.GroupNumber);
            sheet.Number(row, 8, reviewed ? res?.Total ?? model.AchievedTotal : null, SpreadsheetText.GroupNumber);
        }
        if (hasLevels)
        {
            sheet.Text(row, 9, SpreadsheetText.Level(model.Result?.SelfLevel ?? model.SelfLevel, levels), total);
            sheet.Text(row, 10, reviewed ? SpreadsheetText.Level(model.Result?.Level ?? model.AchievedLevel, levels) : null, total);
        }
        sheet.StyleRow(row, 1, last, total);
    }

    private static void WriteDataSheet(XSheet sheet, ReviewModel model, EntrySet set, IReadOnlySet<string> visible,
        IReadOnlyDictionary<string, StoredValues.Row> stored)
    {
        sheet.Text(1, 1, $"SỐ LIỆU ĐÃ NHẬP — {model.UnitName} — {model.Round.Name}", SpreadsheetText.Title);
        sheet.Merges.Add("A1:F1");
        for (var c = 0; c < DataHeader.Count; c++) sheet.Text(DataHeaderRow, c + 1, DataHeader[c], SpreadsheetText.Header);
        sheet.FreezeBelowRow = DataHeaderRow;
        double[] widths = [14, 40, 48, 12, 16, 44];
        for (var c = 0; c < widths.Length; c++) sheet.Widths[c + 1] = widths[c];
        var row = DataHeaderRow;

        object? Value(string address) =>
            stored.TryGetValue(address, out var r) ? ValueText.FromJson(r.ValueJson, set.Specs.GetValueOrDefault(address)) : null;

        void Line(string address, string criterion, string label, string? unit, string? note)
        {
            row++;
            var text = SpreadsheetText.Text;
            var value = SpreadsheetText.Cell(Value(address));
            sheet.Text(row, 1, address, text with { Wrap = false });
            sheet.Text(row, 2, criterion, text);
            sheet.Text(row, 3, label, text);
            sheet.Text(row, 4, unit, text);
            if (value is decimal or int) sheet.Number(row, 5, Convert.ToDecimal(value), SpreadsheetText.Number);
            else sheet.Text(row, 5, value as string, text);
            sheet.Text(row, 6, note, text);
        }

        foreach (var g in set.Set.General)
            Line(AssessmentValue.GeneralPrefix + g.Code, "Thông tin chung " + g.Code, g.Label, g.Unit, null);

        var inputs = model.Criteria.Where(c => !c.IsGroup).ToDictionary(c => c.Code, c => c.Inputs.ToDictionary(i => i.Address, StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var node in set.Criteria.Where(c => visible.Contains(c.Code)))
        {
            foreach (var va in set.AddressesOf.GetValueOrDefault(node.Code) ?? [])
            {
                // An input read from the general information has no value of its own unless one was typed.
                if (va.General is not null && Value(va.Address) is null) continue;
                var notes = new List<string>();
                if (va.OptionCount > 0 && Value(va.Address) is int choice && node.Method?.Options is { } options && choice >= 1 && choice <= options.Count)
                    notes.Add($"Phương án {choice}: {options[choice - 1].Label}");
                if (inputs.GetValueOrDefault(node.Code)?.GetValueOrDefault(va.Address) is { } ri)
                {
                    if (ri.DistrictValue is { } dv) notes.Add($"{AppraisalRules.TierName(ReviewTier.District)} sửa thành: {dv}");
                    if (ri.CouncilValue is { } cv) notes.Add($"{AppraisalRules.TierName(ReviewTier.Council)} sửa thành: {cv}");
                }
                Line(va.Address, $"{node.Code} {node.Name}", va.Label, va.Unit, notes.Count == 0 ? null : string.Join("\n", notes));
            }
        }
    }
}
