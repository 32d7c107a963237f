using System.Globalization;
using DtiPortal.Application.Assessments;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;

namespace DtiPortal.Application.Spreadsheets;

/// <summary>Words, styles and conversions the workbooks share.</summary>
internal static class SpreadsheetText
{
    public static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    public static string VietnamTime(DateTimeOffset at) =>
        at.ToOffset(Vietnam).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture) + " (giờ Việt Nam)";

    public static string StatusName(AssessmentStatus status) =>
        status.Name();

    /// <summary>"Mức 3 – Cơ bản", "Chưa đạt mức 1", or null.</summary>
    public static string? Level(int? level, IReadOnlyList<MaturityLevel> levels) => Assessments.DisplayedScore.LevelOrNull(level, levels);

    /// <summary>A file name without characters that file systems refuse: "Đánh giá - Xã Lạc Đạo - 2024.xlsx".</summary>
    public static string FileName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(['"', '<', '>', '|', ':', '*', '?', '\\', '/']).ToHashSet();
        var clean = new string(name.Select(c => invalid.Contains(c) || char.IsControl(c) ? '-' : c).ToArray()).Trim();
        if (clean.Length > 150) clean = clean[..150].Trim();
        return clean + ".xlsx";
    }

    /// <summary>A stored value as the cell a user would type into: numbers as numbers, the rest as the entry page shows it.</summary>
    public static object? Cell(object? value) => value switch
    {
        null => null,
        decimal d => d,
        int i => i,
        bool b => b ? "Có" : "Không",
        _ => ValueText.Display(value),
    };

    /// <summary>How to type a value of this kind, for the template's "Ghi chú" column.</summary>
    public static string Hint(ValueSpec spec, IReadOnlyList<ChoiceOption>? options, int year)
    {
        if (spec.IsList) return "Danh sách mức của các đơn vị cấp dưới, ví dụ: 3, 3, 2 (mỗi mức từ 0 đến 5)";
        if (spec.OptionCount > 0)
        {
            return options is { Count: > 0 } && options.Count == spec.OptionCount
                ? "Nhập số của phương án: " + string.Join("; ", options.Select((o, i) => $"{i + 1} = {o.Label}"))
                : $"Nhập số của phương án, từ 1 đến {spec.OptionCount}";
        }
        var hint = spec.Type switch
        {
            InputType.Integer => "Số nguyên",
            InputType.Percent => "Tỷ lệ %, từ 0 đến 100 (ví dụ 72,5)",
            InputType.Money => "Số tiền (dấu phẩy thập phân)",
            InputType.Boolean => "Có hoặc Không",
            InputType.Text => "Văn bản (tối đa 1000 ký tự)",
            InputType.Date => $"Ngày/tháng/năm trong năm {year}, ví dụ 15/03/{year}",
            _ => "Số (dấu phẩy thập phân, ví dụ 12,5)",
        };
        if (spec.MaxPoints is { } max) hint += $"; số điểm từ 0 đến {ValueText.Format(max)}";
        return hint;
    }

    // Styles (XlsxWriter): titles, the table's header, group rows, numbers and wrapped text, the template's input cells.
    public const string Grey = "FFE7E9EC";
    public const string HeaderFill = "FFD9E2F3";
    public const string InputFill = "FFFFF8DC";
    public static readonly XStyle Title = new(Bold: true, Size: 14);
    public static readonly XStyle Info = new();
    public static readonly XStyle Note = new(Italic: true, Color: "FF5F6368");
    public static readonly XStyle Header = new(Bold: true, Fill: HeaderFill, Border: true, Wrap: true, Centered: true);
    public static readonly XStyle Text = new(Border: true, Wrap: true);
    public static readonly XStyle Number = new(Border: true, Number: XNumber.Decimal);
    public static readonly XStyle GroupText = new(Bold: true, Border: true, Wrap: true, Fill: "FFF3F5F8");
    public static readonly XStyle GroupNumber = new(Bold: true, Border: true, Number: XNumber.Decimal, Fill: "FFF3F5F8");
}
