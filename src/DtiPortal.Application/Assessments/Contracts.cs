using DtiPortal.Domain.Criteria;

namespace DtiPortal.Application.Assessments;

// The contracts of issue 5 (rounds and data entry), shared by the use cases, the evidence module and the pages.
// Use cases are small classes named after what they do (STYLE.md), each checking role and scope with AccessGuard.

public enum RoundStatus { Open, Closed }

// AssessmentStatus lives in the Domain (DtiPortal.Domain.Assessments), imported by every project that uses it.

public sealed record RoundSummary(
    int Id, int Year, string Name, int CriteriaSetVersionId, string SetId, int SetVersion, string SetName, string LevelCode,
    int ProvinceUnitId, string ProvinceName, DateOnly EntryDeadline, DateOnly ReviewDeadline, DateOnly CouncilDeadline,
    RoundStatus Status, bool HasDistrictTier, int AssessmentCount,
    bool AllowLateSubmission = false, int ResubmitDays = AssessmentRound.DefaultResubmitDays);

public sealed record CreateRoundRequest(
    int Year, string Name, int CriteriaSetVersionId, int ProvinceUnitId, string LevelCode,
    DateOnly EntryDeadline, DateOnly ReviewDeadline, DateOnly CouncilDeadline, bool HasDistrictTier);

/// <summary>A quarter's reporting deadline (seed 000 §V: before the 15th of the quarter's last month; the year by 12 December).</summary>
public sealed record PeriodDeadline(string Period, DateOnly Deadline);

public sealed record AssessmentListItem(
    int Id, int RoundId, string RoundName, int Year, int UnitId, string UnitName, AssessmentStatus Status,
    DateOnly EntryDeadline, decimal? Total, int? Level, DateTimeOffset? SubmittedAt, int? LateDays = null)
{
    /// <summary>The level in the words every page uses (<see cref="DisplayedScore.LevelText"/>), set by the query.</summary>
    public string LevelText { get; init; } = "—";

    /// <summary>True when <see cref="Total"/> and <see cref="Level"/> are the result recognised at approval.</summary>
    public bool Recognised { get; init; }
}

/// <summary>A stored value: an input addressed as the set prints it ("3.1.a", "2.1", "general:1.4").</summary>
public sealed record StoredValue(string Address, object? Value, int Version, DateTimeOffset UpdatedAt, string? UpdatedBy);

public enum EvidenceKind { File, Link }

public sealed record EvidenceItem(
    int Id, string CriterionCode, EvidenceKind Kind, string? FileName, string? ContentType, long? Size, string? Url,
    string? DocNumber, DateOnly? IssuedOn, string? Issuer, string? Summary, DateTimeOffset UploadedAt, string? UploadedBy,
    string Sha256OrUrl, IReadOnlyList<string> AlsoAttachedTo);

/// <summary>Everything the entry page needs for one assessment, already filtered to what the current user may see.</summary>
public sealed record EntryModel(
    int AssessmentId, RoundSummary Round, int UnitId, string UnitName, AssessmentStatus Status, int? TargetLevel,
    CriteriaSet Set,
    IReadOnlyDictionary<string, StoredValue> Values,
    IReadOnlySet<string> VisibleCriteria,      // criterion codes shown (a department officer: only theirs)
    IReadOnlySet<string> EditableCriteria,     // criterion codes the user may change now (empty when read-only)
    bool CanEditGeneral,                        // general information (commune officer, before submission)
    IReadOnlyDictionary<string, string?> Assignments,   // criterion code → department (null = the unit itself)
    IReadOnlyDictionary<string, string?> LastEditedBy,  // criterion code → who last changed one of its values
    IReadOnlyList<EvidenceItem> Evidence,
    bool ReadOnly,
    EntryAbilities Can,
    EntryDeadline? Deadline = null);            // the deadline that applies, the unit's extension, the late mark (issue 15)

/// <summary>What the current user may do with the assessment now, answered once by the use case (the page only shows it).</summary>
public sealed record EntryAbilities(
    bool Submit,          // the workflow table's Submit/Resubmit for the user's roles, round open
    bool EditGeneral);    // general information, the target level and the criteria's departments

public sealed record SaveValueResult(bool Saved, int Version, string? Error, bool Conflict, StoredValue? Current)
{
    /// <summary>Warning rules (spec §10) the saved figure breaks: saved all the same, to be explained before submission.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static SaveValueResult Ok(int version) => new(true, version, null, false, null);
    public static SaveValueResult Invalid(string message) => new(false, 0, message, false, null);
    public static SaveValueResult Conflicted(StoredValue current, string message) => new(false, current.Version, message, true, current);
}

public sealed record CompletenessIssue(string Code, string Message, bool IsError);

public sealed record SubmitResult(bool Submitted, bool AlreadySubmitted, IReadOnlyList<CompletenessIssue> Issues);

/// <summary>
/// The evidence module's listing of an assessment's files and links, used by the entry page and the completeness check.
/// Optional: when no implementation is registered, an assessment has no evidence.
/// </summary>
public interface IEvidenceLister
{
    Task<IReadOnlyList<EvidenceItem>> ListAsync(int assessmentId, CancellationToken ct);
}
