namespace DtiPortal.Domain.Assessments;

/// <summary>
/// The reporting calendar of seed 000 §V: departments report each quarter "trước ngày 15 tháng cuối quý" and each year
/// "trước ngày 12/12". "Trước ngày 15" means before the 15th, so the last day a report is on time is the 14th
/// (14/03, 14/06, 14/09), and for the year 11/12. The same rule is applied to both so the dates stay comparable;
/// Q4 is covered by the yearly report (the text prints no Q4 date). Dates are the last on-time day (inclusive).
/// </summary>
public static class ReportingCalendar
{
    public static IReadOnlyList<(string Period, DateOnly Deadline)> PeriodDeadlines(int year) =>
    [
        ("Q1", new DateOnly(year, 3, 14)),
        ("Q2", new DateOnly(year, 6, 14)),
        ("Q3", new DateOnly(year, 9, 14)),
        ("Q4", new DateOnly(year, 12, 11)),
        ("year", new DateOnly(year, 12, 11)),
    ];

    /// <summary>The deadline of one period of a criterion's <c>period</c> column ("Q1".."Q4", "year"); null when unknown.</summary>
    public static DateOnly? DeadlineOf(string period, int year) =>
        PeriodDeadlines(year).Where(p => string.Equals(p.Period, period, StringComparison.OrdinalIgnoreCase))
            .Select(p => (DateOnly?)p.Deadline).FirstOrDefault();

    /// <summary>Vietnamese name of a period: "Quý I", "Cả năm".</summary>
    public static string PeriodName(string period) => period.ToUpperInvariant() switch
    {
        "Q1" => "Quý I",
        "Q2" => "Quý II",
        "Q3" => "Quý III",
        "Q4" => "Quý IV",
        _ => "Cả năm",
    };
}
