namespace DtiPortal.Application.Reviews;

/// <summary>The two official documents produced when the council approves an assessment (issue 6).</summary>
public enum ReviewDocumentKind
{
    /// <summary>Biên bản thẩm định: the council's appraisal minutes, criterion by criterion.</summary>
    AppraisalMinutes,
    /// <summary>Quyết định công nhận: the decision recognising the score and the maturity level.</summary>
    RecognitionDecision,
}

/// <summary>One criterion's row in the minutes (the columns of seed 004: self-assessed, appraised, achieved).</summary>
public sealed record DocumentCriterionRow(
    string Code, string Name, int Depth, bool IsGroup, decimal Max,
    decimal? SelfPoints, decimal? AppraisedPoints, decimal? AchievedPoints,
    int? SelfLevelMet, int? AchievedLevelMet, string? Note);

/// <summary>A council member's vote as the minutes list it.</summary>
public sealed record DocumentVote(string MemberName, string RoleName, bool Agrees, string? Comment);

/// <summary>
/// Everything the minutes and the decision print, frozen at approval (the recognised result, never recomputed).
/// <see cref="UsesPoints"/>: the set scores points (1000-point index); <see cref="UsesLevels"/>: it recognises maturity
/// levels (Decision 2361); a set may do both.
/// </summary>
public sealed record RecognitionDocumentModel(
    int AssessmentId,
    string UnitName,                 // "Xã Lạc Đạo"
    string? ParentUnitName,          // "Huyện Văn Lâm" (null without a district)
    string ProvinceName,             // "Tỉnh Hưng Yên"
    string CouncilName,              // "Hội đồng thẩm định chuyển đổi số tỉnh Hưng Yên"
    string IssuerName,               // "Ủy ban nhân dân tỉnh Hưng Yên" (who issues the decision)
    string RoundName,
    int Year,
    string SetName,                  // the criteria set's name
    string? SetDecision,             // the decision that issued the set ("2361/QĐ-BTTTT ngày 31/12/2024"), if known
    string DocumentNumber,           // the decision's number, e.g. "12/QĐ-UBND" (assigned at approval)
    string MinutesNumber,            // the minutes' number, e.g. "07/BB-HĐTĐ" (own sequence unless DocumentNumbering shares it)
    DateTimeOffset ApprovedAt,
    string ApprovedBy,               // the chair's full name
    string Place,                    // "Hưng Yên" (for "Hưng Yên, ngày 22 tháng 11 năm 2026")
    bool UsesPoints,
    bool UsesLevels,
    decimal SelfTotal,
    decimal AppraisedTotal,
    decimal AchievedTotal,
    decimal MaxTotal,
    int? SelfLevel,
    int? RecognisedLevel,
    string? RecognisedLevelName,     // "Cơ bản"
    DateTimeOffset ComparedAt,       // when the cohort peer-relative criteria were scored against was frozen (no raw ids in documents)
    int ComparedUnits,               // how many units that cohort held
    IReadOnlyList<DocumentCriterionRow> Rows,
    IReadOnlyList<DocumentVote> Votes,
    IReadOnlyList<string> ReviewSteps); // "22/11/2026 09:12 — Nguyễn Văn A (Phòng VH&TT huyện Văn Lâm): Chuyển Hội đồng thẩm định"

/// <summary>Renders the documents as PDF (implemented in the Web project with HtmlRenderer + headless Chromium).</summary>
public interface IReviewDocumentRenderer
{
    /// <summary>The PDF bytes of one document; throws <see cref="ReviewDocumentException"/> with a Vietnamese message on failure.</summary>
    Task<byte[]> RenderPdfAsync(ReviewDocumentKind kind, RecognitionDocumentModel model, CancellationToken ct = default);

    /// <summary>The same document as standalone HTML (preview, and the input of the PDF).</summary>
    Task<string> RenderHtmlAsync(ReviewDocumentKind kind, RecognitionDocumentModel model, CancellationToken ct = default);
}

public sealed class ReviewDocumentException(string message, Exception? inner = null) : Exception(message, inner);
