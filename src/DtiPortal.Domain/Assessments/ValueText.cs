using System.Globalization;
using System.Text.Json;
using DtiPortal.Domain.Criteria;

namespace DtiPortal.Domain.Assessments;

/// <summary>What a typed value must be to be stored: the address, its label (for messages) and its type.</summary>
public sealed record ValueSpec(string Address, string Label, InputType Type, int OptionCount = 0, bool IsList = false, decimal? MaxPoints = null);

/// <summary>The outcome of reading typed text: the value to store (null = clear it) or a Vietnamese message for the field.</summary>
public sealed record ParsedValue(object? Value, string? Error)
{
    public bool Ok => Error is null;
}

/// <summary>
/// Reads what a user typed into a data-entry field, the way Vietnamese forms write numbers, and refuses what no
/// scoring rule could use. Numbers (decided for issue 5, docs/decisions/ADR-007):
/// <list type="bullet">
/// <item>"1.234,5" — dot groups thousands, comma is the decimal mark (Vietnamese usage);</item>
/// <item>"1234.5", "72.5", "0.125" — a single dot NOT followed by exactly three digits is a decimal point, and so is
///   a dot after a leading 0 (people paste figures from English spreadsheets);</item>
/// <item>"1.234" and "12.500" — a single dot followed by exactly three digits groups thousands (1234, 12500): in a
///   Vietnamese form that is what it means; a percent like "12.500" is then refused as above 100, not silently 12,5;</item>
/// <item>spaces (also non-breaking) may group thousands; a trailing "%" is allowed; when both marks appear, the last one
///   is the decimal mark ("1,234.5" = 1234,5); repeated marks must group by three.</item>
/// </list>
/// Empty text clears the value. Booleans: có/không, true/false, yes/no, 1/0. Choices: the 1-based option number.
/// </summary>
public static class ValueText
{
    public static readonly decimal DefaultMaxValue = 1_000_000_000_000m;

    public static ParsedValue Parse(ValueSpec spec, string? raw, decimal maxValue, int roundYear)
    {
        var text = raw?.Trim() ?? "";
        if (text.Length == 0) return new ParsedValue(null, null);
        var label = $"“{spec.Label}”";
        if (spec.IsList) return ParseList(label, text);
        switch (spec.Type)
        {
            case InputType.Boolean:
                return ParseBool(text) is { } b ? new ParsedValue(b, null) : Fail($"{label}: chọn Có hoặc Không (nhận được “{text}”).");
            case InputType.Text:
                return text.Length <= 1000 ? new ParsedValue(text, null) : Fail($"{label} dài quá 1000 ký tự.");
            case InputType.Date:
                if (!TryParseDate(text, out var date)) return Fail($"{label}: “{text}” không phải là ngày (nhập theo dạng ngày/tháng/năm, ví dụ 15/03/{roundYear}).");
                if (date.Year != roundYear) return Fail($"{label}: ngày {date:dd/MM/yyyy} nằm ngoài năm đánh giá {roundYear}.");
                return new ParsedValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null);
        }

        if (!TryParseNumber(text, out var n))
            return Fail($"{label}: “{text}” không phải là số. Nhập số, ví dụ 1.234 hoặc 1234,5.");
        if (spec.OptionCount > 0)
        {
            return n == decimal.Truncate(n) && n >= 1 && n <= spec.OptionCount
                ? new ParsedValue((int)n, null)
                : Fail($"{label}: chọn một phương án từ 1 đến {spec.OptionCount}.");
        }
        if (n < 0) return Fail($"{label} không được là số âm.");
        if (n > maxValue) return Fail($"{label}: {Format(n)} lớn bất thường (tối đa {Format(maxValue)}); kiểm tra lại đơn vị tính.");
        if (spec.Type == InputType.Percent && n > 100) return Fail($"{label} là tỷ lệ phần trăm nên không được lớn hơn 100 (nhận được {Format(n)}).");
        if (spec.Type == InputType.Integer && n != decimal.Truncate(n)) return Fail($"{label} phải là số nguyên (nhận được {Format(n)}).");
        if (spec.MaxPoints is { } max && n > max) return Fail($"{label}: điểm không được vượt quá điểm tối đa {Format(max)}.");
        return new ParsedValue(n, null);
    }

    private static ParsedValue Fail(string message) => new(null, message);

    public static bool? ParseBool(string text) => VietnameseText.Fold(text) switch
    {
        "co" or "true" or "yes" or "1" or "dat" or "x" => true,
        "khong" or "false" or "no" or "0" or "chua" or "khong dat" => false,
        _ => null,
    };

    private static ParsedValue ParseList(string label, string text)
    {
        var parts = text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var levels = new List<int>();
        foreach (var p in parts)
        {
            if (!int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var l) || l > 5)
                return Fail($"{label}: nhập danh sách mức của các đơn vị cấp dưới, ví dụ 3, 3, 2 (mỗi mức từ 0 đến 5).");
            levels.Add(l);
        }
        return new ParsedValue(levels.ToArray(), null);
    }

    public static bool TryParseDate(string text, out DateOnly date)
    {
        string[] formats = ["d/M/yyyy", "dd/MM/yyyy", "d-M-yyyy", "yyyy-MM-dd", "d.M.yyyy"];
        return DateOnly.TryParseExact(text.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>Reads a number as Vietnamese forms write it (see the class summary). No exponents, no currency signs.</summary>
    public static bool TryParseNumber(string text, out decimal value)
    {
        value = 0;
        var s = text.Trim();
        if (s.EndsWith('%')) s = s[..^1].TrimEnd();
        var negative = false;
        if (s.StartsWith('-') || s.StartsWith('−')) { negative = true; s = s[1..].TrimStart(); }
        else if (s.StartsWith('+')) s = s[1..].TrimStart();
        s = s.Replace(" ", "").Replace("\u00A0", "").Replace("\u202F", "");
        if (s.Length == 0 || s.Any(c => !(char.IsAsciiDigit(c) || c == '.' || c == ',')) || !char.IsAsciiDigit(s[0]) && s[0] != ',' && s[0] != '.')
            return false;

        var lastDot = s.LastIndexOf('.');
        var lastComma = s.LastIndexOf(',');
        char? decimalMark;
        if (lastDot >= 0 && lastComma >= 0) decimalMark = lastDot > lastComma ? '.' : ',';
        else if (lastComma >= 0) decimalMark = s.Count(c => c == ',') == 1 ? ',' : null;
        else if (lastDot >= 0)
        {
            var dots = s.Count(c => c == '.');
            var after = s.Length - lastDot - 1;
            var leadingZero = s.StartsWith("0.", StringComparison.Ordinal);
            decimalMark = dots == 1 && (after != 3 || leadingZero) ? '.' : null;
        }
        else decimalMark = null;

        string integerPart, fraction;
        if (decimalMark is { } mark)
        {
            var at = s.LastIndexOf(mark);
            integerPart = s[..at];
            fraction = s[(at + 1)..];
            if (fraction.Length == 0 || fraction.Any(c => !char.IsAsciiDigit(c))) return false;
        }
        else
        {
            integerPart = s;
            fraction = "";
        }
        var group = decimalMark switch { '.' => ',', ',' => '.', _ => integerPart.Contains('.') ? '.' : ',' };
        var groups = integerPart.Split(group);
        if (groups.Length > 1)
        {
            if (groups[0].Length is < 1 or > 3 || groups.Skip(1).Any(g => g.Length != 3)) return false;
        }
        var digits = string.Concat(groups);
        if (digits.Length == 0) digits = "0";
        if (digits.Any(c => !char.IsAsciiDigit(c)) || digits.Length > 20) return false;
        if (!decimal.TryParse(fraction.Length > 0 ? digits + "." + fraction : digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
            return false;
        if (negative) value = -value;
        return true;
    }

    /// <summary>Vietnamese display of a number: "1.234,5".</summary>
    public static string Format(decimal n) => n.ToString("#,##0.####", VietnameseNumbers);

    private static readonly NumberFormatInfo VietnameseNumbers = new() { NumberDecimalSeparator = ",", NumberGroupSeparator = "." };

    /// <summary>The JSON stored for a value (jsonb): a number, true/false, a string, an array of levels.</summary>
    public static string? ToJson(object? value) => value is null ? null : JsonSerializer.Serialize(value);

    /// <summary>Reads stored JSON back into what the scoring engine takes (decimal, bool, int for a choice, string, int[]).</summary>
    public static object? FromJson(string? json, ValueSpec? spec)
    {
        if (json is null) return null;
        using var doc = JsonDocument.Parse(json);
        var e = doc.RootElement;
        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Array => e.EnumerateArray().Select(x => x.GetInt32()).ToArray(),
            JsonValueKind.Number when spec is { OptionCount: > 0 } => e.GetInt32(),
            JsonValueKind.Number => e.GetDecimal(),
            _ => null,
        };
    }

    /// <summary>How a stored value is shown back in its field (the inverse of <see cref="Parse"/>).</summary>
    public static string Display(object? value) => value switch
    {
        null => "",
        bool b => b ? "Có" : "Không",
        decimal d => Format(d),
        int i => i.ToString(CultureInfo.InvariantCulture),
        int[] list => string.Join(", ", list),
        string s when DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
        string s => s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
