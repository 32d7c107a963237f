using System.Globalization;
using DtiPortal.Application.Reviews;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Web.Documents;

/// <summary>
/// How the documents write dates, numbers and names: Vietnam time, Vietnamese numbers (812,5; 1.000) and the
/// presentation rules of Decree 30/2020/NĐ-CP (Phụ lục I–II) for administrative documents.
/// </summary>
public static class DocumentText
{
    /// <summary>Vietnam has one time zone, UTC+7, without daylight saving: a fixed offset needs no tz database.</summary>
    public static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    public static DateTimeOffset InVietnam(DateTimeOffset at) => at.ToOffset(VietnamOffset);

    /// <summary>
    /// "Hưng Yên, ngày 05 tháng 02 năm 2026": Decree 30 writes a day below 10 and the months 1 and 2 with a leading zero,
    /// the other months without ("ngày 22 tháng 3 năm 2026").
    /// </summary>
    public static string PlaceAndDate(string place, DateTimeOffset at)
    {
        var d = InVietnam(at);
        var day = d.Day.ToString("00", CultureInfo.InvariantCulture);
        var month = d.Month <= 2 ? d.Month.ToString("00", CultureInfo.InvariantCulture) : d.Month.ToString(CultureInfo.InvariantCulture);
        return $"{place}, ngày {day} tháng {month} năm {d.Year.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>"23/11/2026" in Vietnam time.</summary>
    public static string ShortDate(DateTimeOffset at) => InVietnam(at).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>"01:30 ngày 23/11/2026" in Vietnam time.</summary>
    public static string TimeAndDate(DateTimeOffset at) =>
        InVietnam(at).ToString("HH:mm", CultureInfo.InvariantCulture) + " ngày " + ShortDate(at);

    /// <summary>Vietnamese number: 812,5; 1.000 (<see cref="VnFormat.Number"/>); nothing for a missing value.</summary>
    public static string Number(decimal? value) => value is { } v ? VnFormat.Number(v) : "";

    /// <summary>A document number as printed: a blank one becomes "……/QĐ-UBND" for the clerk, never "/QĐ-UBND".</summary>
    public static string DocumentNumber(string? number) => DocumentNumbering.Printable(number);

    public static string Upper(string text) => text.ToUpper(CultureInfo.InvariantCulture);

    /// <summary>"Mức 3 – Cơ bản" (or "Mức 3" without a name).</summary>
    public static string Level(int level, string? name) =>
        string.IsNullOrWhiteSpace(name) ? $"Mức {level}" : $"Mức {level} – {name}";

    /// <summary>What was assessed: the maturity level (Decision 2361), the points index, or both.</summary>
    public static string Subject(RecognitionDocumentModel m) => (m.UsesLevels, m.UsesPoints) switch
    {
        (true, true) => "mức độ chuyển đổi số và Chỉ số chuyển đổi số",
        (false, true) => "Chỉ số chuyển đổi số",
        _ => "mức độ chuyển đổi số",
    };

    /// <summary>"Xã Lạc Đạo, Huyện Văn Lâm, Tỉnh Hưng Yên" → "xã Lạc Đạo (huyện Văn Lâm, tỉnh Hưng Yên)" as running text writes it.</summary>
    public static string UnitWithPlace(RecognitionDocumentModel m)
    {
        var where = m.ParentUnitName is { Length: > 0 } parent
            ? $"{InRunningText(parent)}, {InRunningText(m.ProvinceName)}"
            : InRunningText(m.ProvinceName);
        return $"{InRunningText(m.UnitName)} ({where})";
    }

    private static readonly string[] _adminKinds = ["Thành phố", "Thị trấn", "Thị xã", "Tỉnh", "Huyện", "Quận", "Phường", "Xã", "Đặc khu"];

    /// <summary>
    /// Decree 30 (Phụ lục II) writes the common noun of an administrative unit in lower case inside a sentence
    /// ("Ủy ban nhân dân xã Lạc Đạo"), except when a number follows ("Phường 1", "Quận 3") and in
    /// "Thành phố Hồ Chí Minh". Names that do not start with such a noun are returned as they are.
    /// </summary>
    public static string InRunningText(string name)
    {
        foreach (var kind in _adminKinds)
        {
            if (!name.StartsWith(kind + " ", StringComparison.Ordinal)) continue;
            var rest = name[(kind.Length + 1)..];
            if (rest.Length == 0 || char.IsDigit(rest[0]) || name.StartsWith("Thành phố Hồ Chí Minh", StringComparison.Ordinal)) return name;
            return char.ToLower(kind[0], CultureInfo.InvariantCulture) + kind[1..] + " " + rest;
        }
        return name;
    }
}
