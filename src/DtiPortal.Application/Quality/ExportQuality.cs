using DtiPortal.Application.Assessments;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Spreadsheets;
using DtiPortal.Domain.Quality;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Application.Quality;

/// <summary>
/// The data-quality list of a round as a workbook (sheet "Kiểm tra số liệu"), through the neutralising <see cref="XlsxWriter"/>:
/// the same rows, filters and scope as the page, each with the reviewer's mark and the unit's answer. Audited like the other exports.
/// </summary>
public sealed class ExportQuality(DataQuality quality, IAuditLog audit, TimeProvider clock)
{
    public const string SheetName = "Kiểm tra số liệu";
    public const int HeaderRow = 6;

    public static readonly string[] Header =
    [
        "Đơn vị", "Đơn vị cấp trên", "Tiêu chí", "Số liệu", "Kiểm tra", "Giá trị", "So sánh với", "Giá trị so sánh",
        "Mức chênh (% thay đổi hoặc điểm z)", "Giải thích", "Cần theo dõi (ghi chú của người thẩm định)", "Trả lời của đơn vị",
    ];

    public async Task<Result<SpreadsheetFile>> HandleAsync(int roundId, QualityFilter? filter = null, CancellationToken ct = default)
    {
        var result = await quality.RoundAsync(roundId, filter, ct);
        if (!result.Ok) return Result<SpreadsheetFile>.Fail(result.Error!);
        var report = result.Value!;
        var book = new XlsxWriter { Title = $"Kiểm tra chất lượng số liệu - {report.RoundName}" };
        var sheet = book.Add(SheetName);
        sheet.Text(1, 1, "KIỂM TRA CHẤT LƯỢNG SỐ LIỆU", SpreadsheetText.Title);
        sheet.Merges.Add($"A1:{XlsxWriter.ColumnName(Header.Length)}1");
        sheet.Text(2, 1, $"Đợt đánh giá: {report.RoundName} — năm {report.Year} — {report.Rows.Count} số liệu cần xem lại trong phạm vi của người xuất", SpreadsheetText.Info);
        sheet.Text(3, 1, $"Ngưỡng: thay đổi quá {VnFormat.Percent(report.Settings.ChangeShare)} so với đợt trước; điểm z hiệu chỉnh vượt ±{VnFormat.Number(report.Settings.ZThreshold)} "
            + $"khi có từ {report.Settings.MinCohort} đơn vị cùng đợt có số liệu.", SpreadsheetText.Info);
        sheet.Text(4, 1, "Ngày xuất: " + SpreadsheetText.VietnamTime(clock.GetUtcNow()), SpreadsheetText.Info);
        sheet.Text(5, 1, "Tỷ lệ ghi theo phần trăm (50 = 50%). Số liệu bị đánh dấu không có nghĩa là sai: đề nghị đơn vị giải trình.", SpreadsheetText.Note);
        for (var c = 0; c < Header.Length; c++) sheet.Text(HeaderRow, c + 1, Header[c], SpreadsheetText.Header);
        sheet.FreezeBelowRow = HeaderRow;
        sheet.Landscape = true;
        double[] widths = [26, 24, 9, 36, 24, 12, 16, 14, 14, 60, 40, 40];
        for (var c = 0; c < widths.Length; c++) sheet.Widths[c + 1] = widths[c];

        var row = HeaderRow;
        foreach (var r in report.Rows)
        {
            row++;
            var scale = r.IsFraction ? 100m : 1m;
            sheet.Text(row, 1, r.UnitName, SpreadsheetText.Text);
            sheet.Text(row, 2, r.ParentName, SpreadsheetText.Text);
            sheet.Text(row, 3, r.CriterionCode, SpreadsheetText.Text);
            sheet.Text(row, 4, r.Label + (r.IsFraction ? " (%)" : ""), SpreadsheetText.Text);
            sheet.Text(row, 5, r.CheckName, SpreadsheetText.Text);
            sheet.Number(row, 6, r.Value * scale, SpreadsheetText.Number);
            sheet.Text(row, 7, r.ReferenceName, SpreadsheetText.Text);
            sheet.Number(row, 8, r.Reference * scale, SpreadsheetText.Number);
            sheet.Number(row, 9, r.Check == QualityCheck.ChangeSincePrevious ? r.Measure * 100 : r.Measure, SpreadsheetText.Number);
            sheet.Text(row, 10, r.Explanation, SpreadsheetText.Text);
            sheet.Text(row, 11, r.Mark?.Note, SpreadsheetText.Text);
            sheet.Text(row, 12, r.Mark?.Answer, SpreadsheetText.Text);
        }
        await audit.WriteAsync(new AuditEvent("SpreadsheetExport", nameof(AssessmentRound), roundId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Detail: $"{DataQuality.Action}: {report.RoundName} ({report.Rows.Count} số liệu)"), ct);
        return Result<SpreadsheetFile>.Success(new SpreadsheetFile(SpreadsheetText.FileName($"Kiểm tra số liệu - {report.RoundName}"), book.ToBytes()));
    }
}

/// <summary>The list's filters in a link's query string (the page's export link and the endpoint read the same names).</summary>
public static class QualityLink
{
    public const string Change = "thay-doi";
    public const string Peers = "cung-dot";

    public static QualityFilter Filter(string? check, string? search, bool? markedOnly, decimal? thresholdPercent) => new(
        check switch { Change => QualityCheck.ChangeSincePrevious, Peers => QualityCheck.FarFromPeers, _ => null },
        string.IsNullOrWhiteSpace(search) ? null : search.Trim(),
        markedOnly == true,
        thresholdPercent is > 0 and var p ? p / 100m : null);

    public static string Export(int roundId, QualityFilter filter)
    {
        var query = new List<string>();
        if (filter.Check is { } c) query.Add("kiemTra=" + (c == QualityCheck.ChangeSincePrevious ? Change : Peers));
        if (filter.Search is { Length: > 0 } s) query.Add("tim=" + Uri.EscapeDataString(s));
        if (filter.MarkedOnly) query.Add("daDanhDau=true");
        if (filter.ChangeShare is { } share) query.Add("nguong=" + (share * 100m).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return $"/api/bang-tinh/kiem-tra-chat-luong/{roundId}" + (query.Count > 0 ? "?" + string.Join("&", query) : "");
    }
}
