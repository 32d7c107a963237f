using DtiPortal.Domain;
using DtiPortal.Domain.Criteria;

namespace DtiPortal.Application.Criteria.Workbook;

/// <summary>One problem found in a criteria workbook: where (sheet, 1-based row, column letter or header) and what, in Vietnamese.</summary>
public sealed record WorkbookProblem(string Sheet, int? Row, string? Column, string Message)
{
    public override string ToString() =>
        $"Trang tính \"{Sheet}\"" + (Row is { } r ? $", dòng {r}" : "") + (Column is { } c ? $", cột {c}" : "") + $": {Message}";
}

/// <summary>The outcome of reading a workbook: the set as YAML text (docs/criteria-format.md) or every problem found.</summary>
public sealed record WorkbookReadResult(string? Yaml, IReadOnlyList<WorkbookProblem> Problems)
{
    public bool Success => Yaml is not null && Problems.Count == 0;
}

/// <summary>
/// Issue 14: a criteria set as a workbook in the decisions' own table layout (ClosedXML). The contract that the criteria-set
/// studio, the CLI (<c>dti sets export|import</c>, <c>dti score --set-file</c>) and the tests use.
/// Converting the YAML of a set to a workbook and back gives a set that scores identically.
/// </summary>
public static class CriteriaWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Writes the set (its YAML text, as stored) as a workbook with drop-downs and help.</summary>
    /// <exception cref="DtiPortal.Domain.DomainException">The YAML does not load (every load error in the message).</exception>
    public static void Write(string yaml, Stream output)
    {
        var result = CriteriaSetLoader.Parse(yaml);
        if (result.Set is not { } set)
            throw new DomainException("Bộ chỉ số không tải được:\n" + string.Join("\n", result.Errors));
        Write(set, output);
    }

    /// <summary>Writes a loaded set as a workbook.</summary>
    public static void Write(CriteriaSet set, Stream output) => CriteriaWorkbookWriter.Write(set, output);

    /// <summary>Writes an empty workbook in the same format, with drop-downs and help, for a new decision.</summary>
    public static void WriteBlankTemplate(Stream output) => CriteriaWorkbookWriter.Write(null, output);

    /// <summary>Reads a workbook; every problem is reported with sheet, row and column, and no YAML is returned when there is any.</summary>
    public static WorkbookReadResult Read(Stream input) => CriteriaWorkbookReader.Read(input);
}
