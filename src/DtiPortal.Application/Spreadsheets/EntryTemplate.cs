using System.Globalization;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Spreadsheets;

/// <summary>
/// The entry template of one assessment (issue 7): a unit downloads it, fills it offline and uploads it
/// (<see cref="ImportEntryTemplate"/>). Sheet "Nhập số liệu" has one row per input the user may see — general information
/// first, then each criterion's inputs in the set's order — with the current values filled in; only column E (Giá trị) is
/// open for typing (the sheet is protected without a password; cells the user may not change are grey). Sheet "Hướng dẫn"
/// says how to write values. A hidden sheet "_dti" identifies the template (assessment, round, set id and version) and
/// holds each value's version and JSON at download, so an upload for another assessment or set version is refused, a row
/// left as downloaded changes nothing, and a value changed both in the file and by someone else since the download is
/// reported as a conflict, never overwritten.
/// </summary>
public sealed class EntryTemplate(IDbContextFactory<DtiDbContext> dbFactory, AssessmentAccess access, IAuditLog audit, TimeProvider clock)
{
    public const string Action = "Tải mẫu nhập số liệu";
    public const string SheetName = "Nhập số liệu";
    public const string GuideSheetName = "Hướng dẫn";
    public const string MetaSheetName = "_dti";
    public const string Format = "dti-entry-template/1";
    /// <summary>The header row of sheet "Nhập số liệu"; values start on the next row.</summary>
    public const int HeaderRow = 4;
    public const int AddressColumn = 1;
    public const int ValueColumn = 5;
    /// <summary>The first row of the address → version table of the metadata sheet (after its header row).</summary>
    public const int MetaVersionsRow = 12;

    public static readonly IReadOnlyList<string> Header = ["Mã ô", "Tiêu chí", "Nội dung cần nhập", "Đơn vị tính", "Giá trị", "Ghi chú"];

    /// <summary>Metadata keys (column A of sheet "_dti", values in column B).</summary>
    public static class Keys
    {
        public const string Format = "format";
        public const string AssessmentId = "assessmentId";
        public const string RoundId = "roundId";
        public const string SetId = "setId";
        public const string SetVersion = "setVersion";
        public const string SetVersionId = "setVersionId";
        public const string Unit = "unit";
        public const string GeneratedAt = "generatedAt";
    }

    /// <summary>One input row of the template.</summary>
    internal sealed record Line(string Address, string Criterion, string Label, string? Unit, ValueSpec Spec, string Hint, string? WhyReadOnly);

    public async Task<SpreadsheetFile> BuildAsync(int assessmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (a, round, set) = await access.LoadAsync(db, assessmentId, Action, track: false, ct);
        var permissions = await PermissionsAsync(db, a, round, set, ct);
        var unitName = await db.Units.AsNoTracking().Where(u => u.Id == a.UnitId).Select(u => u.Name).SingleAsync(ct);
        var stored = (await StoredValues.LoadAsync(db, [assessmentId], ct)).ToDictionary(r => r.Address, StringComparer.Ordinal);
        var lines = Lines(set, permissions, round.Year);
        var now = clock.GetUtcNow();

        var book = new XlsxWriter { Title = $"Mẫu nhập số liệu - {unitName} - {round.Year}" };
        var sheet = book.Add(SheetName);
        var last = Header.Count;
        sheet.Text(1, 1, "MẪU NHẬP SỐ LIỆU ĐÁNH GIÁ CHUYỂN ĐỔI SỐ", SpreadsheetText.Title);
        sheet.Merges.Add($"A1:{XlsxWriter.ColumnName(last)}1");
        sheet.Text(2, 1, $"Đơn vị: {unitName} — {round.Name} — Bộ chỉ số: {set.Set.Name} (phiên bản {set.Set.Version})", SpreadsheetText.Info);
        sheet.Text(3, 1, "Chỉ điền cột E (Giá trị). Ô để trống: giữ nguyên số liệu đã có. Ô màu xám: không được sửa. Xem trang tính “Hướng dẫn”.", SpreadsheetText.Note);
        for (var c = 0; c < Header.Count; c++) sheet.Text(HeaderRow, c + 1, Header[c], SpreadsheetText.Header);
        sheet.FreezeBelowRow = HeaderRow;
        sheet.Protect = true;
        double[] widths = [14, 40, 48, 12, 18, 50];
        for (var c = 0; c < widths.Length; c++) sheet.Widths[c + 1] = widths[c];

        var locked = SpreadsheetText.Text with { Fill = SpreadsheetText.Grey };
        var input = new XStyle(Border: true, Fill: SpreadsheetText.InputFill, Locked: false, Number: XNumber.Decimal);
        var row = HeaderRow;
        string? section = null;
        var versions = new List<(string Address, int Version, string? Json)>();
        foreach (var line in lines)
        {
            // A heading row before each part (general information, each main group): no address, skipped by the import.
            var part = Section(set, line.Address);
            if (part != section)
            {
                section = part;
                row++;
                sheet.Text(row, 2, part, SpreadsheetText.GroupText);
                sheet.StyleRow(row, 1, last, SpreadsheetText.GroupText);
            }
            row++;
            var r = stored.GetValueOrDefault(line.Address);
            var value = SpreadsheetText.Cell(r is null ? null : ValueText.FromJson(r.ValueJson, line.Spec));
            var editable = line.WhyReadOnly is null;
            var valueStyle = editable ? input : locked with { Wrap = false, Number = XNumber.Decimal };
            sheet.Text(row, 1, line.Address, locked with { Wrap = false });
            sheet.Text(row, 2, line.Criterion, SpreadsheetText.Text);
            sheet.Text(row, 3, line.Label, SpreadsheetText.Text);
            sheet.Text(row, 4, line.Unit, SpreadsheetText.Text);
            if (value is decimal or int) sheet.Number(row, ValueColumn, Convert.ToDecimal(value, CultureInfo.InvariantCulture), valueStyle);
            else sheet.Text(row, ValueColumn, value as string, valueStyle);
            sheet.Text(row, 6, editable ? line.Hint : $"{line.Hint}. Không sửa được: {line.WhyReadOnly}", SpreadsheetText.Text);
            if (editable && line.Spec.IsList is false)
            {
                var cell = XlsxWriter.Reference(row, ValueColumn);
                if (line.Spec.OptionCount > 0)
                    sheet.Validations.Add((cell, "", false, 1, line.Spec.OptionCount, line.Hint));
                else if (line.Spec.Type == InputType.Boolean)
                    sheet.Validations.Add((cell, "\"Có,Không\"", true, 0, 0, "Chọn Có hoặc Không"));
            }
            versions.Add((line.Address, r?.Version ?? 0, r?.ValueJson));
        }

        WriteGuide(book.Add(GuideSheetName), unitName, round, set, lines.Count);

        var meta = book.Add(MetaSheetName, hidden: true);
        meta.Protect = true;
        meta.Text(1, 1, "Trang tính nhận diện mẫu nhập số liệu của DtiPortal. Đừng sửa hoặc xóa.");
        (string Key, object Value)[] pairs =
        [
            (Keys.Format, Format), (Keys.AssessmentId, assessmentId), (Keys.RoundId, round.Id), (Keys.SetId, set.Set.Id),
            (Keys.SetVersion, set.Set.Version), (Keys.SetVersionId, set.VersionId), (Keys.Unit, unitName),
            (Keys.GeneratedAt, now.ToString("O", CultureInfo.InvariantCulture)),
        ];
        for (var i = 0; i < pairs.Length; i++)
        {
            meta.Text(i + 2, 1, pairs[i].Key);
            if (pairs[i].Value is int n) meta.Number(i + 2, 2, n);
            else meta.Text(i + 2, 2, (string)pairs[i].Value);
        }
        meta.Text(MetaVersionsRow - 1, 1, "Mã ô");
        meta.Text(MetaVersionsRow - 1, 2, "Phiên bản");
        meta.Text(MetaVersionsRow - 1, 3, "Giá trị khi tải mẫu");
        for (var i = 0; i < versions.Count; i++)
        {
            meta.Text(MetaVersionsRow + i, 1, versions[i].Address);
            meta.Number(MetaVersionsRow + i, 2, versions[i].Version);
            meta.Text(MetaVersionsRow + i, 3, versions[i].Json);
        }

        await audit.WriteAsync(new AuditEvent("SpreadsheetExport", nameof(Assessment), assessmentId.ToString(), a.UnitId,
            Detail: $"{Action}: {unitName}, {round.Name}"), ct);
        return new SpreadsheetFile(SpreadsheetText.FileName($"Mẫu nhập số liệu - {unitName} - {round.Year}"), book.ToBytes());
    }

    /// <summary>What the spreadsheet page shows: the assessment, and whether the user may upload a filled template now.</summary>
    public async Task<SpreadsheetPageInfo> DescribeAsync(int assessmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (a, round, set) = await access.LoadAsync(db, assessmentId, AssessmentQueries.ViewAction, track: false, ct);
        var permissions = await PermissionsAsync(db, a, round, set, ct);
        var unitName = await db.Units.AsNoTracking().Where(u => u.Id == a.UnitId).Select(u => u.Name).SingleAsync(ct);
        var why = permissions.WhyReadOnly
                  ?? (permissions.Editable.Count == 0 && !permissions.CanEditGeneral ? "Bạn không có tiêu chí nào được sửa trong bản đánh giá này." : null);
        return new SpreadsheetPageInfo(a.Id, unitName, round.Name, round.Year, set.Set.Name, set.Set.Version, a.Status,
            SpreadsheetText.StatusName(a.Status), why is null, why);
    }

    internal static async Task<EntryPermissions> LoadPermissionsAsync(DtiDbContext db, AssessmentAccess access, Assessment a, AssessmentRound round, EntrySet set, CancellationToken ct)
    {
        var assignments = await AssessmentAccess.AssignmentsAsync(db, a.Id, set, ct);
        return await access.PermissionsAsync(db, a, round, set, assignments, ct);
    }

    private Task<EntryPermissions> PermissionsAsync(DtiDbContext db, Assessment a, AssessmentRound round, EntrySet set, CancellationToken ct) =>
        LoadPermissionsAsync(db, access, a, round, set, ct);

    /// <summary>
    /// The rows of the template: every general item, then the inputs of each criterion the user may see, in document order.
    /// Inputs read from the general information ("lấy từ thông tin chung") are not repeated, as on the entry page.
    /// </summary>
    internal static List<Line> Lines(EntrySet set, EntryPermissions permissions, int year)
    {
        var lines = new List<Line>();
        var readOnly = permissions.WhyReadOnly;
        foreach (var g in set.Set.General)
        {
            var address = AssessmentValue.GeneralPrefix + g.Code;
            var spec = set.Specs[address];
            var why = readOnly ?? (permissions.CanEditGeneral ? null
                : permissions.Role == EntryRole.Department ? "thông tin chung do cán bộ xã nhập" : "thông tin chung không nằm trong phần bị trả lại");
            lines.Add(new Line(address, "Thông tin chung " + g.Code, g.Label, g.Unit, spec, SpreadsheetText.Hint(spec, null, year), why));
        }
        foreach (var node in set.Criteria.Where(c => permissions.Visible.Contains(c.Code)))
        {
            var why = readOnly ?? (permissions.Editable.Contains(node.Code) ? null : "tiêu chí không nằm trong phần bị trả lại");
            foreach (var va in set.AddressesOf.GetValueOrDefault(node.Code) ?? [])
            {
                if (va.General is not null) continue;
                var spec = set.Specs[va.Address];
                lines.Add(new Line(va.Address, $"{node.Code} {node.Name}", va.Label, va.Unit, spec,
                    SpreadsheetText.Hint(spec, node.Method?.Options, year), why));
            }
        }
        return lines;
    }

    /// <summary>The heading a row falls under: "Thông tin chung", or the top-level group of its criterion.</summary>
    private static string Section(EntrySet set, string address)
    {
        if (!set.CriterionOf.TryGetValue(address, out var criterion)) return "Thông tin chung";
        foreach (var top in set.Set.Tree)
            if (Contains(top, criterion)) return $"{top.Code}. {top.Name}";
        return "";

        static bool Contains(CriterionNode node, string code) => node.Code == code || node.Children.Any(c => Contains(c, code));
    }

    private static void WriteGuide(XSheet sheet, string unitName, AssessmentRound round, EntrySet set, int count)
    {
        sheet.Widths[1] = 120;
        var wrap = new XStyle(Wrap: true);
        string[] lines =
        [
            $"Mẫu này dành cho bản đánh giá của {unitName}, {round.Name}, bộ chỉ số {set.Set.Name} (phiên bản {set.Set.Version}), gồm {count} ô số liệu. Chỉ tải lên được vào đúng bản đánh giá này.",
            "1. Chỉ điền cột E (Giá trị) của trang tính “Nhập số liệu”. Không đổi tên, thêm hoặc xóa cột; không sửa cột Mã ô; không sửa trang tính ẩn dùng để nhận diện mẫu.",
            "2. Ô để trống nghĩa là giữ nguyên số liệu đã có. Mẫu đã điền sẵn số liệu hiện có; muốn xóa hẳn một số liệu, hãy xóa trên trang nhập liệu.",
            "3. Số: dấu phẩy là dấu thập phân, dấu chấm ngăn cách hàng nghìn (ví dụ 1.234,5). Có thể nhập số trực tiếp như thường lệ trong Excel. Không nhập số âm.",
            "4. Tỷ lệ phần trăm: nhập số từ 0 đến 100 (72,5 nghĩa là 72,5%).",
            "5. Có/Không: nhập “có” hoặc “không”.",
            "6. Chọn phương án: nhập số thứ tự của phương án (1, 2, 3…); danh sách phương án ở cột Ghi chú.",
            $"7. Ngày: nhập theo dạng ngày/tháng/năm (dd/mm/yyyy), ví dụ 15/03/{round.Year}, trong năm đánh giá {round.Year}.",
            "8. Không nhập công thức (ô bắt đầu bằng dấu =): ô có công thức bị từ chối, hệ thống không tính công thức.",
            "9. Ô màu xám là ô bạn không được sửa (tiêu chí không giao cho phòng/ban của bạn, hoặc không nằm trong phần bị trả lại).",
            "10. Khi tải lên, hệ thống kiểm tra mọi ô. Nếu có bất kỳ lỗi nào thì KHÔNG lưu giá trị nào, và liệt kê từng lỗi theo trang tính, dòng, cột. Nếu không có lỗi, mọi giá trị thay đổi được lưu cùng một lúc, như khi nhập trên trang nhập liệu, và điểm được tính lại.",
            "11. Nếu một số liệu đã được người khác sửa trên trang sau khi bạn tải mẫu, ô đó bị báo xung đột: hãy tải mẫu mới để không ghi đè số liệu của người khác.",
            "12. Tệp tải lên tối đa 5 MB và 5.000 dòng, định dạng .xlsx.",
        ];
        sheet.Text(1, 1, "HƯỚNG DẪN ĐIỀN MẪU NHẬP SỐ LIỆU", SpreadsheetText.Title);
        for (var i = 0; i < lines.Length; i++) sheet.Text(i + 3, 1, lines[i], wrap);
    }
}
