using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace DtiPortal.Application.Reviews;

/// <summary>
/// How the appraisal minutes (biên bản thẩm định) and the recognition decision (quyết định công nhận) are numbered, from
/// the <c>DocumentNumbering</c> configuration section. The minutes are the council's document and the decision the People's
/// Committee's, and each office keeps its own register: by default each has its own sequence per round ("05/BB-HĐTĐ" and
/// "03/QĐ-UBND"). <see cref="SharedSequence"/> restores one number printed on both. A format is a .NET composite format:
/// {0} the sequence number, {1} the round's year ("{0:00}/{1}/QĐ-UBND" → "07/2026/QĐ-UBND").
/// Configuration rather than a per-province table: one deployment serves one province's offices (ADR-009), and a
/// setting changes without a migration. See docs/user/van-hanh-he-thong.md.
/// </summary>
public sealed class DocumentNumbering
{
    public const string Section = "DocumentNumbering";

    /// <summary>One sequence for both documents (the minutes carry the decision's number). Default false: separate.</summary>
    public bool SharedSequence { get; init; }
    public string MinutesFormat { get; init; } = "{0:00}/BB-HĐTĐ";
    public string DecisionFormat { get; init; } = "{0:00}/QĐ-UBND";

    public static DocumentNumbering Default { get; } = new();

    public string Minutes(int number, int year) => string.Format(CultureInfo.InvariantCulture, MinutesFormat, number, year);

    public string Decision(int number, int year) => string.Format(CultureInfo.InvariantCulture, DecisionFormat, number, year);

    /// <summary>Reads and checks the section: a format that does not format fails at start-up, not at the first approval.</summary>
    public static DocumentNumbering From(IConfiguration? configuration)
    {
        var section = configuration?.GetSection(Section);
        var n = new DocumentNumbering
        {
            SharedSequence = bool.TryParse(section?["SharedSequence"], out var shared) && shared,
            MinutesFormat = string.IsNullOrWhiteSpace(section?["MinutesFormat"]) ? Default.MinutesFormat : section!["MinutesFormat"]!,
            DecisionFormat = string.IsNullOrWhiteSpace(section?["DecisionFormat"]) ? Default.DecisionFormat : section!["DecisionFormat"]!,
        };
        foreach (var (key, format) in new[] { ("MinutesFormat", n.MinutesFormat), ("DecisionFormat", n.DecisionFormat) })
        {
            try { _ = string.Format(CultureInfo.InvariantCulture, format, 1, 2026); }
            catch (FormatException)
            {
                throw new InvalidOperationException($"{Section}:{key} “{format}” không phải mẫu số văn bản hợp lệ (ví dụ “{{0:00}}/QĐ-UBND”).");
            }
        }
        return n;
    }

    /// <summary>
    /// A number to print after "Số:": a number left blank ("", or "/QĐ-UBND" as some source texts have it) becomes a
    /// proper blank for the clerk to fill in by hand ("……/QĐ-UBND").
    /// </summary>
    public static string Printable(string? number) =>
        string.IsNullOrWhiteSpace(number) ? "……" : number.TrimStart().StartsWith('/') ? "……" + number.Trim() : number.Trim();
}
