using System.Globalization;
using DtiPortal.Application.Assessments;
using DtiPortal.Domain;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Web.Features.Assessments;

/// <summary>The Vietnamese words the assessment pages show for statuses, deadlines, times and stored values.</summary>
public static class AssessmentText
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> UnitSuffixes = new(StringComparer.Ordinal);

    /// <summary>" (người)" after a label; "" without a unit. Shared strings: a set has few units, an open page many labels.</summary>
    public static string UnitSuffix(string? unit) => unit is { Length: > 0 } u ? UnitSuffixes.GetOrAdd(u, static x => $" ({x})") : "";

    /// <summary>The Domain's one Vietnamese name of a state.</summary>
    public static string Status(AssessmentStatus status) => status.Name();

    public static string RoundStatus(RoundStatus status) => status == Application.Assessments.RoundStatus.Open ? "Đang mở" : "Đã đóng";

    public static string LevelName(string level) => Application.Criteria.CriteriaQueries.LevelName(level);

    /// <summary>Today in Vietnam: deadlines are calendar days there, whatever the server's clock zone.</summary>
    public static DateOnly Today(TimeProvider clock) => VietnamTime.Today(clock);

    public static DateTimeOffset Local(DateTimeOffset at) => at.ToVietnam();

    public static string Time(DateTimeOffset at) => VietnamTime.Time(at);

    public static string DateTime(DateTimeOffset at) => VietnamTime.DateTime(at);

    public static string Date(DateOnly date) => VietnamTime.Date(date);

    /// <summary>"còn 5 ngày", "hạn cuối là hôm nay", "quá hạn 2 ngày".</summary>
    public static string DaysLeft(DateOnly deadline, DateOnly today)
    {
        var days = deadline.DayNumber - today.DayNumber;
        return days switch
        {
            > 0 => $"còn {days} ngày",
            0 => "hạn cuối là hôm nay",
            _ => $"quá hạn {-days} ngày",
        };
    }

    public static string Size(long? bytes) => bytes switch
    {
        null => "",
        < 1024 => $"{bytes} byte",
        < 1024 * 1024 => VnFormat.Number(bytes.Value / 1024m) + " KB",
        _ => VnFormat.Number(bytes.Value / (1024m * 1024m)) + " MB",
    };

    /// <summary>A stored value as the text a user would type: 72,5 (decimal comma, no grouping), true/false as "true"/"false", an option as its number.</summary>
    public static string ToText(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        decimal d => d.ToString("0.############", _vn),
        double d => ((decimal)d).ToString("0.############", _vn),
        float f => ((decimal)f).ToString("0.############", _vn),
        int or long or short => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        DateOnly date => Date(date),
        IEnumerable<int> levels => string.Join(", ", levels),
        System.Text.Json.JsonElement json => json.ValueKind switch
        {
            System.Text.Json.JsonValueKind.True => "true",
            System.Text.Json.JsonValueKind.False => "false",
            System.Text.Json.JsonValueKind.Number => json.GetDecimal().ToString("0.############", _vn),
            System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined => "",
            _ => json.ToString(),
        },
        _ => value.ToString() ?? "",
    };

    /// <summary>A value as a person reads it: "Có"/"Không", the option's label, 72,5.</summary>
    public static string Display(string text, InputType type, IReadOnlyList<string> options)
    {
        if (text.Length == 0) return "chưa nhập";
        if (type == InputType.Boolean) return text == "true" ? "Có" : text == "false" ? "Không" : text;
        if (options.Count > 0 && int.TryParse(text, out var i) && i >= 1 && i <= options.Count) return options[i - 1];
        return Grouped(text, type);
    }

    /// <summary>
    /// A number as it is read (issue 15: 12.500, not 12500; 1.234,5): what a read-only field and a value taken from the general
    /// information show. Other text, and text that is not a plain number (being typed), is left as it is; an editable box
    /// keeps what the user typed (the parser accepts both forms).
    /// </summary>
    public static string Grouped(string text, InputType type) =>
        IsNumeric(type) && decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, _vn, out var d)
            ? d.ToString("#,##0.############", _vn) : text;

    public static string TypeHint(InputType type) => type switch
    {
        InputType.Percent => "tỷ lệ %, ví dụ 72,5",
        InputType.Money => "số tiền",
        InputType.Number => "số, ví dụ 12,5",
        InputType.Integer => "số nguyên",
        InputType.Date => "ngày, dd/mm/yyyy",
        _ => "",
    };

    public static bool IsNumeric(InputType type) => type is InputType.Integer or InputType.Number or InputType.Money or InputType.Percent;

    private static readonly NumberFormatInfo _vn = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "." };
}
