using DtiPortal.Application.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Reviews;

namespace DtiPortal.Application.Reviews;

// The contracts of issue 6 (review, appraisal, approval), shared by the use cases and the pages.

/// <summary>Which submissions the queue shows.</summary>
public enum QueueView
{
    /// <summary>What the current user can act on now (default).</summary>
    Actionable,
    /// <summary>Every submitted assessment in the user's scope (anything but drafts).</summary>
    All,
}

public sealed record ReviewQueueFilter(int? RoundId = null, QueueView View = QueueView.Actionable, AssessmentStatus? Status = null, string? Search = null);

public sealed record ReviewQueueItem(
    int AssessmentId, int RoundId, string RoundName, int Year, int UnitId, string UnitName, string? ParentName,
    AssessmentStatus Status, int Cycle, DateTimeOffset? SubmittedAt,
    DateOnly Deadline, bool Overdue,
    int MissingCount, decimal SelfTotal, int? SelfLevel, decimal? AppraisedTotal, int? AppraisedLevel,
    IReadOnlyList<WorkflowAction> Actions,
    // Which deadline <see cref="Deadline"/> is ("Hạn nộp bổ sung", "Hạn thẩm tra", "Hạn thẩm định"), how many days it is
    // past (0: not), and the "nộp muộn" mark of the unit's submission (null: on time). Issue 15.
    string DeadlineLabel = "Hạn", int DaysOverdue = 0, int? LateDays = null);

/// <summary>One input of a criterion as the reviewer sees it: the unit's value and each tier's correction (display text).</summary>
public sealed record ReviewInput(string Address, string Label, string? Unit, string? UnitValue, string? DistrictValue, string? CouncilValue, bool ChangedSinceLastReview, string? PreviousValue);

public sealed record AppraisalView(ReviewTier Tier, AppraisalVerdict Verdict, string? Reason, decimal? CorrectedPoints,
    IReadOnlyDictionary<string, string?> CorrectedValues, string? By, DateTimeOffset At, int Version, int Cycle);

public sealed record CommentView(long Id, string? CriterionCode, string Text, string AuthorName, string AuthorRole, DateTimeOffset At, int Cycle);

/// <summary>One criterion side by side: inputs, evidence, points at each stage, the appraisals and the thread.</summary>
public sealed record ReviewCriterion(
    string Code, string Name, int Depth, bool IsGroup, decimal Max, string? Method,
    IReadOnlyList<ReviewInput> Inputs,
    decimal SelfPoints, decimal AppraisedPoints, decimal AchievedPoints,
    int? SelfLevelMet, int? AchievedLevelMet,
    string? Explanation,
    IReadOnlyList<EvidenceItem> Evidence,
    AppraisalView? District, AppraisalView? Council,
    IReadOnlyList<CommentView> Comments,
    bool ChangedSinceLastReview,
    bool Returned,              // returned to the unit in the last return
    string? AssignedCouncilMember,
    IReadOnlyList<EvidenceChange>? EvidenceChanges = null) // evidence added or removed since the last review
{
    public IReadOnlyList<EvidenceChange> EvidenceChanged => EvidenceChanges ?? [];
}

/// <summary>A piece of evidence attached (<see cref="Added"/>) or removed between the previous submission and the current one.</summary>
public sealed record EvidenceChange(string CriterionCode, string Name, bool Added, DateTimeOffset At);

public sealed record VoteView(string UserId, string UserName, string RoleName, bool Agrees, string? Comment, DateTimeOffset At);

public sealed record StepView(string Action, string ActionName, AssessmentStatus From, AssessmentStatus To, string? Reason, string? CriterionCode, string ActorName, DateTimeOffset At, int Cycle);

public sealed record ResultView(int Version, decimal SelfTotal, decimal AppraisedTotal, decimal Total, int? SelfLevel, int? Level, string? LevelName,
    Guid SnapshotId, string DocumentNumber, DateTimeOffset ApprovedAt, string ApprovedByName, string? Note,
    bool HasMinutes, bool HasDecision, string? DocumentsError, string? MinutesNumber = null);

/// <summary>What the current user may do on the review page.</summary>
public sealed record ReviewAbilities(
    IReadOnlyList<WorkflowAction> Actions,   // transitions offered (buttons)
    ReviewTier? AppraiseAs,                  // may record appraisals as this tier now (null: read only)
    bool CanComment,
    bool CanVote,
    bool CanReopen,                          // council, approved, nothing reopened yet
    bool CanReapprove,                       // chair, a criterion is reopened
    bool CanAssign,                          // chair/secretary: assign criteria to members
    bool CanPublish);

/// <summary>Everything the review page shows for one assessment.</summary>
public sealed record ReviewModel(
    int AssessmentId, int UnitId, string UnitName, string? ParentName, RoundSummary Round, AssessmentStatus Status, int Cycle,
    int? TargetLevel, string? ReturnReason, IReadOnlyList<string> ReturnedCriteria, string? ReopenedCriterion, string? ReopenReason,
    CriteriaSet Set, IReadOnlyList<ReviewCriterion> Criteria,
    IReadOnlyList<ReviewInput> General,
    decimal SelfTotal, decimal AppraisedTotal, decimal AchievedTotal, decimal MaxTotal,
    int? SelfLevel, int? AppraisedLevel, int? AchievedLevel,
    IReadOnlyList<CommentView> GeneralComments,
    IReadOnlyList<VoteView> Votes,
    IReadOnlyList<StepView> History,
    ResultView? Result,
    ReviewAbilities Can,
    uint RowVersion,
    int? LateDays = null)                    // "nộp muộn": days after the deadline the unit submitted (issue 15)
{
    /// <summary>
    /// The tier the user appraises <paramref name="criterion"/> as now, or null (read only): the user's tier, and while a
    /// criterion is reopened after approval, only that criterion.
    /// </summary>
    public ReviewTier? AppraiseAs(ReviewCriterion criterion) =>
        Can.AppraiseAs is { } tier && (ReopenedCriterion is null || ReopenedCriterion == criterion.Code) ? tier : null;

    /// <summary>The tier whose verdicts a return sends back: the acting tier, else the tier of the current state.</summary>
    public ReviewTier ReturnTier => Can.AppraiseAs ?? (Status == AssessmentStatus.UnderCouncilAppraisal ? ReviewTier.Council : ReviewTier.District);

    /// <summary>The criteria the returning tier marked "Yêu cầu bổ sung": a return sends exactly these back.</summary>
    public IReadOnlyList<ReviewCriterion> Appraisable => [.. Criteria.Where(c => !c.IsGroup)];

    /// <summary>
    /// The criteria <paramref name="tier"/> has not appraised (no verdict recorded): forwarding or approving counts them as
    /// accepted (ADR-008), so the confirmation names them.
    /// </summary>
    public IReadOnlyList<ReviewCriterion> NotAppraised(ReviewTier tier) =>
        [.. Criteria.Where(c => !c.IsGroup && (tier == ReviewTier.District ? c.District : c.Council) is null)];

    public IReadOnlyList<ReviewCriterion> NeedsFix() =>
        [.. Criteria.Where(c => !c.IsGroup && (ReturnTier == ReviewTier.District ? c.District : c.Council)?.Verdict == AppraisalVerdict.NeedsFix)];
}

/// <summary>The review information a unit sees on its entry page: why it was returned, per criterion, and its result.</summary>
public sealed record UnitReviewInfo(
    AssessmentStatus Status, string? ReturnReason, IReadOnlyList<string> ReturnedCriteria,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ReasonsByCriterion,     // criterion → reviewers' reasons (last return)
    IReadOnlyDictionary<string, IReadOnlyList<CommentView>> CommentsByCriterion,
    IReadOnlyList<CommentView> GeneralComments,
    ResultView? Result,
    IReadOnlyList<ResultRow> ResultRows);

/// <summary>A reviewer's appraisal of one criterion: raw typed texts for corrected inputs (parsed like data entry).</summary>
public sealed record AppraisalInput(AppraisalVerdict Verdict, IReadOnlyDictionary<string, string?>? CorrectedInputs, string? CorrectedPoints, string? Reason);

/// <summary>The review use cases' <see cref="Result"/>, with the version written (an appraisal's, a recognised result's).</summary>
public sealed record ReviewResult(bool Ok, string? Error, bool Conflict = false, int Version = 0) : Result(Ok, Error, Conflict)
{
    public static ReviewResult Success(int version = 0) => new(true, null, false, version);
    public static new ReviewResult Fail(string message) => new(false, message);
    public static new ReviewResult Conflicted(string message) => new(false, message, true);
}

public sealed record CouncilMemberOption(string UserId, string Name, string RoleName);

public sealed record CouncilAssignmentRow(string CriterionCode, string CriterionName, int Depth, bool IsGroup, string? UserId, string? UserName);

public sealed record DocumentFile(string FileName, string ContentType, Stream Content);
