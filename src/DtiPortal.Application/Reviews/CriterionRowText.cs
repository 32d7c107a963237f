using DtiPortal.Application.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Reviews;

namespace DtiPortal.Application.Reviews;

/// <summary>
/// The texts of one criterion's row in the seeds' layout, shared by the spreadsheet export (Spreadsheets/AssessmentWorkbook)
/// and the PDF report (Reporting/Reports): which rows a user may see, the "tài liệu kiểm chứng" cell and the "ghi chú" cell.
/// The spreadsheet separates items with a line break inside the cell, the PDF with "; ".
/// </summary>
public static class CriterionRowText
{
    /// <summary>The criteria the user may see and every group above one of them.</summary>
    public static HashSet<string> VisibleNodes(CriteriaSet set, IReadOnlySet<string> visible)
    {
        var shown = new HashSet<string>(StringComparer.Ordinal);
        bool Walk(CriterionNode node)
        {
            var any = node.IsGroup ? node.Children.Aggregate(false, (acc, c) => Walk(c) | acc) : visible.Contains(node.Code);
            if (any) shown.Add(node.Code);
            return any;
        }
        foreach (var n in set.Tree) Walk(n);
        return shown;
    }

    /// <summary>What the set asks for as evidence (and whether it is required), then how many files are attached.</summary>
    public static string? Evidence(CriterionDetails d, int attached, string separator)
    {
        var text = d.Evidence.Count == 0 ? "" : string.Join("; ", d.Evidence) + (d.EvidenceRequired ? " (bắt buộc)" : "");
        if (attached > 0) text += (text.Length > 0 ? separator : "") + $"Đã đính kèm: {attached}";
        return text.Length == 0 ? null : text;
    }

    /// <summary>The recognised result's note, the reviewers' reasons, and whether the criterion was sent back.</summary>
    public static string? Notes(ReviewCriterion c, ResultRow? rr, AssessmentStatus status, string separator)
    {
        var notes = new List<string>();
        if (rr?.Note is { Length: > 0 } n) notes.Add(n);
        foreach (var ap in new[] { c.District, c.Council })
            if (ap is { Verdict: not AppraisalVerdict.Accepted, Reason: { Length: > 0 } reason })
                notes.Add($"{AppraisalRules.TierName(ap.Tier)} – {AppraisalRules.VerdictName(ap.Verdict)}: {reason}");
        if (!c.IsGroup && c.Returned && status == AssessmentStatus.Returned) notes.Add("Được trả lại để bổ sung");
        return notes.Count == 0 ? null : string.Join(separator, notes);
    }
}
