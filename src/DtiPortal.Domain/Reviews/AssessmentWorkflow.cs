using DtiPortal.Domain.Assessments;

namespace DtiPortal.Domain.Reviews;

/// <summary>What a user does to an assessment; each action leads to exactly one state (see <see cref="AssessmentWorkflow.Transitions"/>).</summary>
public enum WorkflowAction
{
    /// <summary>The commune submits its figures for the first time (Draft → Submitted).</summary>
    Submit,
    /// <summary>The commune submits again after a return (Returned → Submitted).</summary>
    Resubmit,
    /// <summary>The district reviewer takes a submission (Submitted → UnderDistrictReview); three-tier rounds only.</summary>
    StartDistrictReview,
    /// <summary>The district reviewer returns the figures to the commune, with a reason (UnderDistrictReview → Returned).</summary>
    ReturnToUnit,
    /// <summary>The district reviewer forwards to the provincial council (UnderDistrictReview → Forwarded).</summary>
    ForwardToCouncil,
    /// <summary>The council takes the file: after forwarding (three-tier) or straight from submission (two-tier).</summary>
    StartCouncilAppraisal,
    /// <summary>The council chair returns the figures to the commune, with a reason (UnderCouncilAppraisal → Returned).</summary>
    ReturnFromCouncil,
    /// <summary>The council chair approves the appraised score and level (UnderCouncilAppraisal → Approved).</summary>
    Approve,
    /// <summary>A provincial (or system) administrator publishes an approved result (Approved → Published).</summary>
    Publish,
}

/// <summary>Which round configuration a transition belongs to (<c>Round.HasDistrictTier</c>; DOMAIN.md §2: since 1 July 2025 there is no district tier).</summary>
public enum TierRequirement
{
    /// <summary>Any round.</summary>
    Either,
    /// <summary>Only rounds with a district review tier (three tiers: commune → district → province).</summary>
    WithDistrictTier,
    /// <summary>Only rounds without one (two tiers: commune → province).</summary>
    WithoutDistrictTier,
}

/// <summary>One row of the workflow table.</summary>
public sealed record WorkflowTransition(
    AssessmentStatus From, WorkflowAction Action, AssessmentStatus To, IReadOnlyList<string> Roles, bool RequiresReason, TierRequirement Tier)
{
    public bool AppliesTo(bool hasDistrictTier) => Tier switch
    {
        TierRequirement.WithDistrictTier => hasDistrictTier,
        TierRequirement.WithoutDistrictTier => !hasDistrictTier,
        _ => true,
    };

    public bool PermitsAny(IEnumerable<string> roles) => roles.Any(r => Roles.Contains(r, StringComparer.Ordinal));
}

/// <summary>
/// The review workflow of issue 6 as data: who may move an assessment from which state to which, in which kind of
/// round, and whether a reason is required. Pure rules: the service layer loads the assessment, calls
/// <see cref="Apply"/>, writes the new state with an optimistic-concurrency check (so two reviewers acting at once
/// cannot both succeed) and records the audit entry in the same transaction. Re-opening one criterion by the council
/// is not a state change of the assessment and is not modelled here.
/// <para>Role names are spelled here once (<see cref="RoleNames"/>); the Application's <c>Roles</c> refers to them. A user with
/// several roles may do what any of them allows; separation of duties (e.g. not reviewing one's own unit) and scope
/// (the reviewer's district, the council's province) are the service layer's checks, not the workflow's.</para>
/// </summary>
public static class AssessmentWorkflow
{
    /// <summary>The role identifiers that take part in the workflow; <c>DtiPortal.Application.Identity.Roles</c> uses these constants.</summary>
    public static class RoleNames
    {
        public const string CommuneOfficer = "CommuneOfficer";
        public const string DistrictReviewer = "DistrictReviewer";
        public const string CouncilMember = "CouncilMember";
        public const string CouncilChair = "CouncilChair";
        public const string CouncilSecretary = "CouncilSecretary";
        public const string ProvincialAdmin = "ProvincialAdmin";
        public const string SystemAdmin = "SystemAdmin";
    }

    public const string ReasonRequiredMessage = "Phải nêu lý do khi trả lại.";

    private static readonly string[] Unit = [RoleNames.CommuneOfficer];
    private static readonly string[] District = [RoleNames.DistrictReviewer];
    private static readonly string[] Council = [RoleNames.CouncilMember, RoleNames.CouncilChair, RoleNames.CouncilSecretary];
    private static readonly string[] Chair = [RoleNames.CouncilChair];
    private static readonly string[] Admins = [RoleNames.ProvincialAdmin, RoleNames.SystemAdmin];

    /// <summary>Every legal transition. Anything not listed is refused.</summary>
    public static IReadOnlyList<WorkflowTransition> Transitions { get; } =
    [
        new(AssessmentStatus.Draft, WorkflowAction.Submit, AssessmentStatus.Submitted, Unit, false, TierRequirement.Either),
        new(AssessmentStatus.Returned, WorkflowAction.Resubmit, AssessmentStatus.Submitted, Unit, false, TierRequirement.Either),
        new(AssessmentStatus.Submitted, WorkflowAction.StartDistrictReview, AssessmentStatus.UnderDistrictReview, District, false, TierRequirement.WithDistrictTier),
        new(AssessmentStatus.UnderDistrictReview, WorkflowAction.ReturnToUnit, AssessmentStatus.Returned, District, true, TierRequirement.WithDistrictTier),
        new(AssessmentStatus.UnderDistrictReview, WorkflowAction.ForwardToCouncil, AssessmentStatus.Forwarded, District, false, TierRequirement.WithDistrictTier),
        new(AssessmentStatus.Forwarded, WorkflowAction.StartCouncilAppraisal, AssessmentStatus.UnderCouncilAppraisal, Council, false, TierRequirement.WithDistrictTier),
        new(AssessmentStatus.Submitted, WorkflowAction.StartCouncilAppraisal, AssessmentStatus.UnderCouncilAppraisal, Council, false, TierRequirement.WithoutDistrictTier),
        new(AssessmentStatus.UnderCouncilAppraisal, WorkflowAction.ReturnFromCouncil, AssessmentStatus.Returned, Chair, true, TierRequirement.Either),
        new(AssessmentStatus.UnderCouncilAppraisal, WorkflowAction.Approve, AssessmentStatus.Approved, Chair, false, TierRequirement.Either),
        new(AssessmentStatus.Approved, WorkflowAction.Publish, AssessmentStatus.Published, Admins, false, TierRequirement.Either),
    ];

    /// <summary>The state each action leads to (every action has exactly one target).</summary>
    public static AssessmentStatus Target(WorkflowAction action) => Transitions.First(t => t.Action == action).To;

    /// <summary>True when the action needs a reason (the returns).</summary>
    public static bool RequiresReason(WorkflowAction action) => Transitions.Any(t => t.Action == action && t.RequiresReason);

    /// <summary>The actions offered to a user holding <paramref name="roles"/> on an assessment in <paramref name="state"/>.</summary>
    public static IReadOnlyList<WorkflowAction> Allowed(AssessmentStatus state, IEnumerable<string> roles, bool hasDistrictTier)
    {
        var held = roles as IReadOnlyCollection<string> ?? [.. roles];
        return [.. Transitions
            .Where(t => t.From == state && t.AppliesTo(hasDistrictTier) && t.PermitsAny(held))
            .Select(t => t.Action)
            .Distinct()];
    }

    /// <summary>
    /// The state after <paramref name="action"/>, or a <see cref="DomainException"/> with a Vietnamese message when
    /// the user's roles, the current state or the round's tiers do not allow it, or a required reason is missing.
    /// </summary>
    public static AssessmentStatus Apply(AssessmentStatus state, WorkflowAction action, IEnumerable<string> roles, bool hasDistrictTier, string? reason)
    {
        var held = roles as IReadOnlyCollection<string> ?? [.. roles];
        var to = Target(action);
        var row = Transitions.FirstOrDefault(t => t.From == state && t.Action == action && t.AppliesTo(hasDistrictTier));
        if (row is null)
        {
            // The role is the problem when no row of this action admits it; otherwise the state or the round is.
            if (!Transitions.Any(t => t.Action == action && t.PermitsAny(held)))
                throw new DomainException(RoleRefusal(state, to));
            if (Transitions.Any(t => t.From == state && t.Action == action))
                throw new DomainException(hasDistrictTier
                    ? "Đợt đánh giá này có cấp huyện thẩm tra: hồ sơ phải được cấp huyện chuyển lên trước khi Hội đồng thẩm định."
                    : "Đợt đánh giá này không có cấp huyện thẩm tra: hồ sơ nộp thẳng lên Hội đồng thẩm định cấp tỉnh.");
            throw new DomainException($"Không thể chuyển đánh giá từ '{StateName(state)}' sang '{StateName(to)}'.");
        }
        if (!row.PermitsAny(held)) throw new DomainException(RoleRefusal(state, to));
        if (row.RequiresReason && string.IsNullOrWhiteSpace(reason)) throw new DomainException(ReasonRequiredMessage);
        return row.To;
    }

    private static string RoleRefusal(AssessmentStatus from, AssessmentStatus to) =>
        $"Vai trò của bạn không được chuyển đánh giá từ '{StateName(from)}' sang '{StateName(to)}'.";

    /// <summary>The Vietnamese name of a state (<see cref="AssessmentStatusText.Name"/>).</summary>
    public static string StateName(AssessmentStatus state) => state.Name();

    /// <summary>The Vietnamese label of an action, as a button or an audit entry shows it.</summary>
    public static string ActionName(WorkflowAction action) => action switch
    {
        WorkflowAction.Submit => "Nộp đánh giá",
        WorkflowAction.Resubmit => "Nộp lại",
        WorkflowAction.StartDistrictReview => "Nhận thẩm tra",
        WorkflowAction.ReturnToUnit => "Trả lại đơn vị",
        WorkflowAction.ForwardToCouncil => "Chuyển Hội đồng thẩm định",
        WorkflowAction.StartCouncilAppraisal => "Bắt đầu thẩm định",
        WorkflowAction.ReturnFromCouncil => "Hội đồng trả lại",
        WorkflowAction.Approve => "Phê duyệt",
        WorkflowAction.Publish => "Công bố kết quả",
        _ => action.ToString(),
    };
}
