using DtiPortal.Application.Assessments;

namespace DtiPortal.Application.Spreadsheets;

// The contracts of issue 7's spreadsheets: exports (an assessment, a ranking), the entry template and its import.

/// <summary>A workbook ready to download: its Vietnamese file name and its bytes (.xlsx).</summary>
public sealed record SpreadsheetFile(string FileName, byte[] Content)
{
    public const string ContentType = XlsxWriter.ContentType;
}

/// <summary>
/// One problem found in an uploaded template, located as the user sees it: "Trang tính 'Nhập số liệu', dòng 12, cột E
/// (Giá trị): …". <see cref="Sheet"/>, <see cref="Row"/> and <see cref="Column"/> are null for a problem of the whole file.
/// </summary>
public sealed record TemplateError(string? Sheet, int? Row, string? Column, string? ColumnName, string Message)
{
    /// <summary>"Trang tính 'Nhập số liệu', dòng 12, cột E (Giá trị)" — empty for a problem of the whole file.</summary>
    public string Location =>
        Sheet is null ? ""
        : $"Trang tính '{Sheet}'" + (Row is { } r ? $", dòng {r}" : "") + (Column is { } c ? $", cột {c}" + (ColumnName is { } n ? $" ({n})" : "") : "");

    public override string ToString() => Location.Length == 0 ? Message : $"{Location}: {Message}";

    public static TemplateError General(string message) => new(null, null, null, null, message);
}

/// <summary>
/// The outcome of an import: either every changed value was stored (<see cref="Filled"/> of them; <see cref="Unchanged"/>
/// rows held the value already stored) or nothing was, and <see cref="Errors"/> says why, cell by cell.
/// </summary>
public sealed record ImportEntryResult(bool Succeeded, int Filled, int Unchanged, IReadOnlyList<TemplateError> Errors)
{
    public static ImportEntryResult Refused(params TemplateError[] errors) => new(false, 0, 0, errors);
    public static ImportEntryResult Refused(string message) => Refused(TemplateError.General(message));
}

/// <summary>What the spreadsheet page shows about an assessment before any download or upload.</summary>
public sealed record SpreadsheetPageInfo(
    int AssessmentId, string UnitName, string RoundName, int Year, string SetName, int SetVersion, AssessmentStatus Status, string StatusName,
    bool CanImport, string? WhyCannotImport);

/// <summary>One unit of a ranking. <see cref="Recognised"/>: approved or published, with the council's result.</summary>
public sealed record RankingRow(
    int Rank, int AssessmentId, int UnitId, string UnitName, string? ParentName, AssessmentStatus Status, bool Recognised,
    decimal SelfTotal, decimal? AchievedTotal, int? Level, IReadOnlyList<decimal> IndexPoints, int? LateDays = null)
{
    /// <summary>What the rank is decided on: the achieved (recognised) total when there is one, else the live self-assessed total.</summary>
    public decimal Score => AchievedTotal ?? SelfTotal;
}

/// <summary>A main index (chỉ số chính) shown as a column of the ranking.</summary>
public sealed record RankingIndex(string Code, string Name, decimal Max);

/// <summary>A round's ranking for the units in the caller's scope (optionally under one district or province).</summary>
public sealed record RankingTable(
    RoundSummary Round, int? ParentUnitId, string ScopeName, bool HasPoints, IReadOnlyList<Domain.Criteria.MaturityLevel> Levels,
    IReadOnlyList<RankingIndex> Indices, IReadOnlyList<RankingRow> Rows);
